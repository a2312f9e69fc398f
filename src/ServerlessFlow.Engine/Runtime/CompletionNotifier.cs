using System.Collections.Concurrent;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>Lets a waiting client in this process learn at once that a workflow committed a change (e.g. closed).</summary>
internal sealed class CompletionNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new(StringComparer.Ordinal);

    /// <summary>Workflows someone in this process is waiting on (for tests).</summary>
    internal int Waiting => waiters.Count;

    /// <summary>A task that completes at the next commit of <paramref name="workflowId"/> in this process.</summary>
    public Task NextCommit(string workflowId) =>
        waiters.GetOrAdd(workflowId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>A waiter that stops waiting drops the entry (other waiters of it fall back to polling), so waits on workflows committed elsewhere do not accumulate.</summary>
    public void Forget(string workflowId, Task waited)
    {
        if (waiters.TryGetValue(workflowId, out var waiter) && waiter.Task == waited && !waited.IsCompleted)
        {
            waiters.TryRemove(new KeyValuePair<string, TaskCompletionSource>(workflowId, waiter));
        }
    }

    /// <summary>Wakes everyone waiting on <paramref name="workflowId"/>.</summary>
    public void Committed(string workflowId)
    {
        if (waiters.TryRemove(workflowId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
