using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.InMemory;

/// <summary>
/// Purge with the Azure backend's outcomes and budget, counting one row per history event, activity and inbox
/// item. Under the lock nothing can start in between, so the fence is the check at the top of each call.
/// </summary>
internal sealed partial class InMemoryBackend
{
    /// <summary>The smallest budget the contract allows: one Azure transaction.</summary>
    private const int MinPurgeBudget = 100;

    public Task<PurgeOutcome> PurgeAsync(string workflowId, string runId, int maxDeletes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDeletes, MinPurgeBudget);
        lock (gate)
        {
            return Task.FromResult(Purge(workflowId, runId, maxDeletes));
        }
    }

    private PurgeOutcome Purge(string workflowId, string runId, int budget)
    {
        if (partitions.GetValueOrDefault(workflowId) is not { Instance: { } instance } partition)
        {
            return PurgeOutcome.NotFound;
        }

        // Checked before the status: the run asked about is gone, whatever the state of the one that replaced it.
        if (instance.RunId != runId)
        {
            return PurgeOutcome.RunChanged;
        }

        if (instance.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew)
        {
            return PurgeOutcome.NotClosed;
        }

        foreach (var key in partition.Activities.Keys.Take(budget).ToList())
        {
            partition.Activities.Remove(key);
            budget--;
        }

        // History goes from the end of each run, so what is left of a run stays a readable prefix.
        foreach (var (run, events) in partition.Runs.ToList())
        {
            var count = Math.Min(events.Count, budget);
            events.RemoveRange(events.Count - count, count);
            budget -= count;
            if (events.Count == 0)
            {
                partition.Runs.Remove(run);
            }
        }

        // The instance row goes last, with the inbox, as on Azure.
        foreach (var key in partition.Inbox.Keys.Take(Math.Max(0, budget - 1)).ToList())
        {
            partition.Inbox.Remove(key);
            budget--;
        }

        if (partition.Activities.Count > 0 || partition.Runs.Count > 0 || partition.Inbox.Count > 0 || budget < 1)
        {
            return PurgeOutcome.MoreToDo;
        }

        partitions.Remove(workflowId);
        return PurgeOutcome.Purged;
    }
}
