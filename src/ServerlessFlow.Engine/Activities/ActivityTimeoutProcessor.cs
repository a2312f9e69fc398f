using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Enforces activity timeouts independently of the worker running the attempt, which may have died:
/// a check message on the workflow's queue (so it is handled even when no worker serves the activity's
/// queue) arrives at the next deadline and fails or retries the activity if the deadline passed.
/// </summary>
internal sealed class ActivityTimeoutProcessor(IWorkflowStore store, ActivityOutcomes outcomes, WorkerOptions options, TimeProvider time)
{
    public async Task<TaskOutcome> HandleAsync(ActivityTimeoutMessage message, CancellationToken cancellationToken)
    {
        if (message.ThroughScheduledEventId is { } through && through > message.ScheduledEventId)
        {
            return await HandleBatchAsync(message, through, cancellationToken);
        }

        if (await outcomes.ReadOpenAsync(message.WorkflowId, message.RunId, message.ScheduledEventId, cancellationToken) is not { } row)
        {
            return TaskOutcome.Completed;
        }

        var now = time.GetUtcNow();
        return await EnforceAsync(row, now, cancellationToken) is { } next ? TaskOutcome.RetryAfter(next - now) : TaskOutcome.Completed;
    }

    /// <summary>The one check of a batch of activities claimed together (<see cref="ActivityBatchProcessor"/>): every open row of the range in one read.</summary>
    private async Task<TaskOutcome> HandleBatchAsync(ActivityTimeoutMessage message, long through, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var row in await store.ReadActivitiesAsync(message.WorkflowId, message.RunId, message.ScheduledEventId, through, cancellationToken))
        {
            if (row.State != ActivityState.Closed && await EnforceAsync(row, now, cancellationToken) is { } due && (next is null || due < next))
            {
                next = due;
            }
        }

        return next is { } at ? TaskOutcome.RetryAfter(at - now) : TaskOutcome.Completed;
    }

    /// <summary>
    /// Applies whichever timeout of an open activity has passed (failing it, or expiring the attempt and scheduling
    /// the next). Returns when the activity next needs a look (a deadline plus the slack), or null when it needs none.
    /// </summary>
    public async Task<DateTimeOffset?> EnforceAsync(ActivityTaskRecord row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (row.Options.ScheduleToCloseTimeout is { } scheduleToClose && now >= row.ScheduledAt + scheduleToClose + options.ActivityTimeoutSlack)
        {
            await outcomes.FailAsync(row, ActivityTimeouts.Failure(ActivityTimeouts.ScheduleToClose, row), cancellationToken);
            return null;
        }

        if (row.State == ActivityState.Scheduled && row.Attempt == 1 && row.Options.ScheduleToStartTimeout is { } scheduleToStart && now >= row.ScheduledAt + scheduleToStart)
        {
            await outcomes.FailAsync(row, ActivityTimeouts.Failure(ActivityTimeouts.ScheduleToStart, row), cancellationToken);
            return null;
        }

        if (row.State == ActivityState.Started && ActivityTimeouts.AttemptDeadline(row) is var (deadline, reason))
        {
            if (now < deadline + options.ActivityTimeoutSlack)
            {
                return deadline + options.ActivityTimeoutSlack;
            }

            await ExpireAttemptAsync(row, reason, cancellationToken);
            return null;
        }

        var scheduleLook = ActivityTimeouts.ScheduleDeadline(row) is { } next && next > now ? next + options.ActivityTimeoutSlack : (DateTimeOffset?)null;
        if (row is { State: ActivityState.Scheduled, Attempt: > 1, NextAttemptAt: { } retryAt })
        {
            // A retry: whoever scheduled it wrote its row and then sent its message, and a send that failed after the write (this
            // check's own previous delivery, or a worker's) left no message for it. A live message claims the row when its back-off
            // ends, or comes back a lease later if its worker died first: a row still scheduled after that has none, so send one (a
            // duplicate finds the attempt claimed or closed and ends there). Before that, the message is most likely waiting out
            // the back-off: look again then rather than send a duplicate now.
            var lostBy = retryAt + options.MessageLease + options.ActivityTimeoutSlack;
            if (now < lostBy)
            {
                return scheduleLook is { } look && look < lostBy ? look : lostBy;
            }

            await outcomes.SendAttemptAsync(row, cancellationToken);
        }

        return scheduleLook;
    }

    /// <summary>
    /// Ends a started attempt whose worker is gone (or stuck) past its deadline: it failed with its timeout,
    /// and the next attempt is scheduled (or the activity fails for good). Whichever message notices first does it.
    /// </summary>
    public async Task ExpireAttemptAsync(ActivityTaskRecord row, string reason, CancellationToken cancellationToken)
    {
        var failure = ActivityTimeouts.Failure(reason, row);
        if (outcomes.NextAttempt(row, failure) is not { } next)
        {
            await outcomes.FailAsync(row, failure, cancellationToken);
            return;
        }

        await outcomes.ScheduleRetryAsync(next, cancellationToken);
    }
}
