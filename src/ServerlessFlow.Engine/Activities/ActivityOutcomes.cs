using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// The end of an attempt, whoever observed it (the worker that ran it, or the timeout checker): either
/// the outcome goes to the workflow's inbox together with closing the row, or the row is set up for the
/// next attempt with its back-off — kept in storage, so any worker honours it after a crash.
/// </summary>
internal sealed class ActivityOutcomes(IWorkflowStore store, OutboxSender outbox, TimeProvider time, ILogger<ActivityOutcomes> logger)
{
    /// <summary>Reads the activity a message is about; null when it is closed or gone (the message is then done).</summary>
    public async Task<ActivityTaskRecord?> ReadOpenAsync(string workflowId, string runId, long scheduledEventId, CancellationToken cancellationToken) =>
        await store.ReadActivityAsync(workflowId, runId, scheduledEventId, cancellationToken) is { State: not ActivityState.Closed } row
            ? row
            : null;

    /// <summary>Records the outcome and wakes the workflow. False when the row changed or is gone (nothing written).</summary>
    public async Task<bool> CloseAsync(ActivityTaskRecord row, HistoryEvent outcome, CancellationToken cancellationToken)
    {
        var item = new InboxItem
        {
            Key = InboxItem.ActivityKey(row.RunId, row.ScheduledEventId), RunId = row.RunId, Event = outcome, CreatedAt = time.GetUtcNow(),
        };
        if (!await store.CloseActivityAsync(row with { State = ActivityState.Closed }, item, cancellationToken))
        {
            return false;
        }

        Log.ActivityCompleted(logger, row.WorkflowId, row.ActivityName, row.ScheduledEventId, row.Attempt);
        var wake = new WorkflowTaskMessage { WorkflowId = row.WorkflowId, RunId = row.RunId };
        await outbox.SendOneAsync(QueueNames.Workflow(row.WorkflowTaskQueue), wake, null, cancellationToken);
        return true;
    }

    /// <summary>
    /// Records the outcomes of several activities of one run, many per write where the store allows, and wakes the workflow once.
    /// An activity a batched write left out is closed alone (its row may have changed: cancelled, or taken over). Returns how many were recorded.
    /// </summary>
    public async Task<int> CloseManyAsync(IReadOnlyList<(ActivityTaskRecord Row, HistoryEvent Outcome)> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var closes = outcomes.Select(o => (o.Row with { State = ActivityState.Closed }, new InboxItem
        {
            Key = InboxItem.ActivityKey(o.Row.RunId, o.Row.ScheduledEventId), RunId = o.Row.RunId, Event = o.Outcome, CreatedAt = now,
        })).ToList();
        var first = outcomes[0].Row;
        var wake = new WorkflowTaskMessage { WorkflowId = first.WorkflowId, RunId = first.RunId };
        int recorded;
        try
        {
            var closed = await store.CloseActivitiesAsync(closes, cancellationToken);
            recorded = closed.Count;
            foreach (var (row, item) in closes.Where(c => !closed.Contains(c.Item1.ScheduledEventId)))
            {
                recorded += await store.CloseActivityAsync(row, item, cancellationToken) ? 1 : 0;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Groups written before the one that failed are in the inbox: wake the workflow for them now rather than at the sweep
            // (best effort: should this send fail too, the sweep finds the old inbox rows). The write's failure is what is thrown.
            try
            {
                await outbox.SendOneAsync(QueueNames.Workflow(first.WorkflowTaskQueue), wake, null, CancellationToken.None);
            }
            catch (StoreException)
            {
            }

            throw;
        }

        if (recorded > 0)
        {
            Log.ActivitiesCompleted(logger, first.WorkflowId, recorded);
            await outbox.SendOneAsync(QueueNames.Workflow(first.WorkflowTaskQueue), wake, null, cancellationToken);
        }

        return recorded;
    }

    /// <summary>
    /// After a failed attempt: the row for the next attempt (to store), or null when the failure is final
    /// (non-retryable, attempts exhausted, or the next attempt would start past schedule-to-close).
    /// </summary>
    public ActivityTaskRecord? NextAttempt(ActivityTaskRecord row, FailureInfo failure, TimeSpan? requestedDelay = null)
    {
        Log.ActivityAttemptFailed(logger, row.WorkflowId, row.ActivityName, row.ScheduledEventId, row.Attempt, failure.Message);
        var policy = row.Options.RetryPolicy ?? RetryPolicy.Default;
        var retryAt = time.GetUtcNow() + (requestedDelay ?? policy.DelayBefore(row.Attempt + 1));
        var withinDeadline = row.Options.ScheduleToCloseTimeout is not { } limit || retryAt < row.ScheduledAt + limit;
        return failure.NonRetryable || !policy.AllowsRetry(row.Attempt, failure.Type) || !withinDeadline
            ? null
            : row with { State = ActivityState.Scheduled, Attempt = row.Attempt + 1, NextAttemptAt = retryAt, LastFailure = failure, StartedAt = null, LastHeartbeatAt = null };
    }

    /// <summary>
    /// Records how an attempt ended the producer's way (inbox row and wake-up, or the next attempt in the row).
    /// Completed when the activity is settled; a retry when the caller's message should come back for the next attempt.
    /// </summary>
    public async Task<TaskOutcome> RecordAsync(AttemptResult result, CancellationToken cancellationToken)
    {
        switch (result)
        {
            case AttemptResult.Completed completed:
                await CloseAsync(completed.Row, new ActivityCompleted { ScheduledEventId = completed.Row.ScheduledEventId, Result = completed.Result, Attempt = completed.Row.Attempt }, cancellationToken);
                return TaskOutcome.Completed;
            case AttemptResult.Failed failed when NextAttempt(failed.Row, failed.Failure, failed.RequestedDelay) is { } next:
                // Not stored means the row changed (cancelled, or taken over): the message is done either way.
                return await store.UpdateActivityAsync(next, cancellationToken) is null ? TaskOutcome.Completed : TaskOutcome.RetryAfter(next.NextAttemptAt!.Value - time.GetUtcNow());
            case AttemptResult.Failed failed:
                await FailAsync(failed.Row, failed.Failure, cancellationToken);
                return TaskOutcome.Completed;
            default:
                return TaskOutcome.Completed; // Cancelled: the workflow no longer wants this activity, its row is gone.
        }
    }

    /// <summary>
    /// Stores a scheduled attempt — the next one (from <see cref="NextAttempt"/>), or one handed back unrun — and sends the message that
    /// runs it after its back-off; nothing when the row changed.
    /// </summary>
    public async Task ScheduleRetryAsync(ActivityTaskRecord next, CancellationToken cancellationToken)
    {
        if (await store.UpdateActivityAsync(next, cancellationToken) is { } stored)
        {
            await SendAttemptAsync(stored, cancellationToken);
        }
    }

    /// <summary>
    /// Sends the message of a scheduled attempt, due when its back-off ends. After <see cref="ScheduleRetryAsync"/>'s write, and again by
    /// a check that finds a retry still scheduled a message lease past its back-off, since a send that failed after the write left the
    /// row with no message (a duplicate of one that was sent is harmless: one claim wins the row's ETag).
    /// </summary>
    public Task SendAttemptAsync(ActivityTaskRecord scheduled, CancellationToken cancellationToken)
    {
        var message = new ActivityTaskMessage { WorkflowId = scheduled.WorkflowId, RunId = scheduled.RunId, ScheduledEventId = scheduled.ScheduledEventId, Attempt = scheduled.Attempt };
        return outbox.SendOneAsync(QueueNames.Activity(scheduled.TaskQueue), message, scheduled.NextAttemptAt, cancellationToken);
    }

    /// <summary>Fails the activity for good with <paramref name="failure"/>.</summary>
    public Task<bool> FailAsync(ActivityTaskRecord row, FailureInfo failure, CancellationToken cancellationToken) =>
        CloseAsync(row, new ActivityFailed { ScheduledEventId = row.ScheduledEventId, Failure = failure, Attempt = row.Attempt }, cancellationToken);
}
