using System.Collections.Concurrent;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Work a process started in the background and has not seen end (a worker's message handlers, eager first tasks). A stopping
/// process waits for it (within a bound) instead of abandoning it: each piece sees the stop through its token and finishes or
/// hands its work back, before the host tears down the services it uses.
/// </summary>
internal sealed class InFlightTasks
{
    private readonly ConcurrentDictionary<Task, byte> running = new();

    /// <summary>Tracks <paramref name="task"/> until it ends.</summary>
    public void Track(Task task)
    {
        running.TryAdd(task, 0);
        _ = task.ContinueWith(ended => running.TryRemove(ended, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Waits up to <paramref name="bound"/> for every tracked task to end; returns how many were still running then. A task tracked
    /// after the call is not waited for: call it once whatever tracks work has ended.
    /// </summary>
    public async Task<int> DrainAsync(TimeSpan bound)
    {
        var pending = running.Keys.ToArray();
        try
        {
            await Task.WhenAll(pending).WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            return pending.Count(task => !task.IsCompleted);
        }
        catch (Exception)
        {
            // A handler's own failure was logged where it happened; draining only waits for it to end.
        }

        return 0;
    }
}
