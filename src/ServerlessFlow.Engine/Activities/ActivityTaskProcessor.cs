using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Runs activity attempts that come through the activity queue (another task queue, or beyond the concurrency of the
/// worker that scheduled them). The activity row in the workflow's partition is the truth: a message for an activity
/// that is closed, gone, or waiting out a retry back-off is acknowledged or delayed, never run. An attempt is claimed
/// (ETag-guarded) before it runs, a timeout check is scheduled for its deadline, and its outcome is written to the
/// workflow's inbox together with closing the row, then the workflow is woken.
/// </summary>
internal sealed class ActivityTaskProcessor(
    IWorkflowStore store,
    ActivityOutcomes outcomes,
    ActivityTimeoutProcessor timeouts,
    ActivityAttemptRunner runner,
    ActivityBatchProcessor batches,
    OutboxSender outbox,
    WorkerOptions options,
    TimeProvider time)
{
    public async Task<TaskOutcome> HandleAsync(ActivityTaskMessage message, CancellationToken cancellationToken)
    {
        if (message.IsBatch)
        {
            return await batches.HandleAsync(message, cancellationToken);
        }

        if (await outcomes.ReadOpenAsync(message.WorkflowId, message.RunId, message.ScheduledEventId, cancellationToken) is not { } row)
        {
            return TaskOutcome.Completed;
        }

        var now = time.GetUtcNow();
        if (row.NextAttemptAt is { } next && next > now)
        {
            return TaskOutcome.RetryAfter(next - now);
        }

        if (row.State == ActivityState.Started)
        {
            // Another worker runs this attempt. Past its deadline that worker is gone (it may have died before
            // sending its timeout check): the attempt is expired here and the next one scheduled.
            var (deadline, reason) = ActivityTimeouts.AttemptDeadline(row);
            if (now < deadline + options.ActivityTimeoutSlack)
            {
                return TaskOutcome.RetryAfter(deadline + options.ActivityTimeoutSlack - now);
            }

            await timeouts.ExpireAttemptAsync(row, reason, cancellationToken);
            return TaskOutcome.Completed;
        }

        var claimed = await store.UpdateActivityAsync(row with { State = ActivityState.Started, StartedAt = now, NextAttemptAt = null, LastHeartbeatAt = null }, cancellationToken);
        if (claimed is null)
        {
            return TaskOutcome.RetryAfter(TimeSpan.FromSeconds(1));
        }

        var check = new ActivityTimeoutMessage { WorkflowId = claimed.WorkflowId, RunId = claimed.RunId, ScheduledEventId = claimed.ScheduledEventId, Attempt = claimed.Attempt };
        var sent = await outbox.SendOneAsync(QueueNames.Workflow(claimed.WorkflowTaskQueue), check, ActivityTimeouts.AttemptDeadline(claimed).At + options.ActivityTimeoutSlack, cancellationToken);
        var result = await runner.RunAsync(claimed, CancellationToken.None, cancellationToken);
        var outcome = await outcomes.RecordAsync(result, cancellationToken);

        // The attempt is settled in its row (closed, moved on to the next attempt, or gone): its check has nothing left to do.
        // Deleted now (one request), it is not received, read about and deleted after the run closed, and the workflow queue does
        // not fill up with a check per step of a long run (every receive pays for the queue's depth). A check not deleted (a crash,
        // a failed delete) comes due and finds nothing to do.
        await outbox.WithdrawAsync(sent, claimed.WorkflowId, cancellationToken);
        return outcome;
    }
}
