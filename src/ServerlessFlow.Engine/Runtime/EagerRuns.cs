namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The eager first tasks this process runs in the background (no caller waits for them, and no poller's stopping token reaches
/// them). When the process stops — its container is disposed, after a polling worker has returned or when a Functions host ends —
/// they are told through <see cref="Stopping"/> and awaited within a bound, so none writes after the services it uses are gone: a
/// run stopped that way is woken through its queue (or the recovery sweep), as a failed eager start is. From the stop on, no new one
/// is taken: its starter hands the run to its queue at once instead.
/// </summary>
internal sealed class EagerRuns : IAsyncDisposable, IDisposable
{
    /// <summary>How long a stopping process waits for its eager runs.</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource stopping = new();
    private readonly InFlightTasks running = new();
    private readonly Lock gate = new();
    private bool stopped;

    /// <summary>Cancelled when the process stops.</summary>
    public CancellationToken Stopping => stopping.Token;

    /// <summary>
    /// Runs <paramref name="work"/> in the background with the stopping token, tracked until it ends; false, running nothing, once the
    /// process is stopping. Decided under the same lock as the stop, so work is either tracked before the stop's drain looks or refused:
    /// none can start after the drain and write after the services it uses are disposed.
    /// </summary>
    public bool TryRun(Func<CancellationToken, Task> work)
    {
        lock (gate)
        {
            if (stopped)
            {
                return false;
            }

            var token = stopping.Token;
            running.Track(Task.Run(() => work(token), CancellationToken.None));
            return true;
        }
    }

    /// <summary>Stops the eager runs and waits for them (within the bound); returns how many were still running then.</summary>
    public async Task<int> StopAsync()
    {
        if (MarkStopped())
        {
            await stopping.CancelAsync();
        }

        return await running.DrainAsync(Drain);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stopping.Dispose();
    }

    /// <summary>A container disposed synchronously: the runs are told to stop, not awaited.</summary>
    public void Dispose()
    {
        if (MarkStopped())
        {
            stopping.Cancel();
        }
    }

    /// <summary>True for the first call: from then on <see cref="TryRun"/> refuses.</summary>
    private bool MarkStopped()
    {
        lock (gate)
        {
            var first = !stopped;
            stopped = true;
            return first;
        }
    }
}
