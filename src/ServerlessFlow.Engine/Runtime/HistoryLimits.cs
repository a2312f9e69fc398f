using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The limits on a run's history (<see cref="WorkerOptions.MaxHistoryEvents"/>, <see cref="WorkerOptions.MaxHistoryBytes"/>): a
/// commit that would pass them terminates the run instead, and one that nears them warns.
/// </summary>
/// <remarks>It logs under the workflow task's category, which operators filter on.</remarks>
internal sealed class HistoryLimits(WorkerOptions options, ILogger<WorkflowTaskProcessor> logger)
{
    /// <summary>Terminates a run whose history would pass the limits (instead of this commit); warns as it nears them.</summary>
    public WorkflowCommit Enforce(WorkflowCommit commit, InstanceRecord before, DateTimeOffset now)
    {
        var after = commit.Instance;
        if (after.LastEventId <= options.MaxHistoryEvents && after.HistorySizeBytes <= options.MaxHistoryBytes)
        {
            if ((after.LastEventId >= options.HistoryWarningEvents && before.LastEventId < options.HistoryWarningEvents)
                || (after.HistorySizeBytes >= options.HistoryWarningBytes && before.HistorySizeBytes < options.HistoryWarningBytes))
            {
                Log.HistoryLarge(logger, after.WorkflowId, after.LastEventId, after.HistorySizeBytes, options.MaxHistoryEvents, options.MaxHistoryBytes);
            }

            return commit;
        }

        var terminated = new WorkflowTerminated
        {
            EventId = before.LastEventId + 1, Timestamp = now,
            Reason = $"History limit exceeded: the run would reach {after.LastEventId} events and {after.HistorySizeBytes} bytes " +
                     $"(limits {options.MaxHistoryEvents} events, {options.MaxHistoryBytes} bytes). Use Workflow.CreateContinueAsNewException to keep histories short.",
        };
        return InstanceTransition.Build(before, [terminated], commit.ConsumedInbox, now);
    }
}
