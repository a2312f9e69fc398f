using System.Text.Json;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Diagnostics;
using ServerlessFlow.Engine.Execution;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Client;

/// <summary>Updates: validated against a replay of the current state, recorded through the inbox, answered from history.</summary>
internal sealed partial class WorkflowClient
{
    /// <summary>How long an update call waits for its handler when the caller does not say.</summary>
    private static readonly TimeSpan DefaultUpdateWait = TimeSpan.FromSeconds(60);

    public async Task<JsonElement?> UpdateWorkflowAsync(string workflowId, string updateName, object? argument, string? updateId = null, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        WorkflowIds.ValidateName(updateName, "update name");
        WorkflowIds.ValidateRequestId(updateId, "update ID");
        using var span = ServerlessFlowTelemetry.StartClientSpan("UpdateWorkflow", workflowId, updateName);
        // The current run: one that continued as new is replaced by the run it named, started if it has not yet (as for a terminate).
        var instance = await CurrentRunAsync(workflowId, cancellationToken);
        ServerlessFlowTelemetry.LinkToRun(span, instance.RunId, instance.TraceParent);
        if (instance.Status != WorkflowStatus.Running)
        {
            throw new InvalidWorkflowRequestException($"Workflow '{workflowId}' is {instance.Status}; only running workflows take updates.");
        }

        var id = updateId ?? Guid.NewGuid().ToString("N");
        var input = PayloadLimits.Check(PayloadJson.ToElement(argument), "update argument");
        var history = await store.ReadHistoryAsync(workflowId, instance.RunId, 0, cancellationToken);
        if (!history.OfType<WorkflowUpdateAccepted>().Any(u => u.UpdateId == id))
        {
            // Validate against the state as it is now; a rejection is reported and nothing is written.
            var execution = new WorkflowExecution(registry.GetWorkflow(instance.WorkflowType), registry.SearchAttributes, workflowId, instance.RunId, instance.TaskQueue);
            execution.Replay(history);
            if (execution.HasUnrunStart)
            {
                execution.RunTask([], history[0].Timestamp);
            }

            execution.ValidateUpdate(updateName, input);
            var item = new InboxItem
            {
                Key = "u-" + id, RunId = instance.RunId, CreatedAt = time.GetUtcNow(),
                Event = new WorkflowUpdateAccepted { UpdateId = id, UpdateName = updateName, Input = input },
            };
            await store.AddInboxAsync(workflowId, item, cancellationToken);
            await outbox.SendOneAsync(QueueNames.Workflow(instance.TaskQueue), new WorkflowTaskMessage { WorkflowId = workflowId, RunId = instance.RunId }, null, cancellationToken);
        }

        return await WaitForUpdateAsync(workflowId, instance.RunId, updateName, id, wait ?? DefaultUpdateWait, cancellationToken);
    }

    private async Task<JsonElement?> WaitForUpdateAsync(string workflowId, string runId, string updateName, string updateId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var clock = callerClock.Time;
        var waited = clock.GetTimestamp();
        var after = 0L;
        // Watched before each read of history, so that a commit between the two wakes the next look.
        using var watch = notifier.Watch(workflowId);
        // Between commits made here, history is read again on the close wait's schedule (one owner of it: FallbackReads).
        var reads = new FallbackReads(clock, runHere: watch.CommittedHereAt is not null);
        while (true)
        {
            if (watch.Take().Count > 0)
            {
                reads.CommitSeen();
            }

            var events = await store.ReadHistoryAsync(workflowId, runId, after, cancellationToken);
            if (events.OfType<WorkflowUpdateCompleted>().FirstOrDefault(u => u.UpdateId == updateId) is { } done)
            {
                return done.Failure is { } failure ? throw new WorkflowUpdateFailedException(workflowId, updateName, rejected: false, failure) : done.Result;
            }

            reads.Read();
            after = events.Count > 0 ? events[^1].EventId : after;
            if (events.Any(e => e is WorkflowCompleted or WorkflowFailed or WorkflowTerminated or WorkflowCanceled or WorkflowContinuedAsNew))
            {
                throw new InvalidWorkflowRequestException($"Workflow '{workflowId}' closed before update '{updateName}' ({updateId}) finished.");
            }

            var left = wait - clock.GetElapsedTime(waited);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Update '{updateName}' ({updateId}) of workflow '{workflowId}' was accepted but did not finish within {wait}. Call again with the same update ID to keep waiting.");
            }

            var pause = TimeSpan.FromTicks(Math.Max(0, Math.Min(left.Ticks, reads.UntilDue.Ticks)));
            await Task.WhenAny(watch.Arrived, Task.Delay(pause, clock, cancellationToken));
        }
    }
}
