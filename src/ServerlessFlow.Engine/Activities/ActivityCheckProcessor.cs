using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Handles <see cref="ActivityCheckMessage"/>: the one delayed message per workflow that enforces the timeouts of the
/// activities a worker runs eagerly, should that worker die. It looks at every open activity of the run, applies the
/// timeouts that passed, and comes back (the same message, delayed) only while some activity still has a deadline ahead.
/// A check superseded by a later one that a commit armed is dropped, so a workflow has one check in flight, not one per activity.
/// A close may leave its index write to the run's check (see <see cref="WorkflowTaskProcessor"/>): a check that finds its run
/// closed that way writes the entry, in case the closing process died before it did.
/// </summary>
internal sealed class ActivityCheckProcessor(IWorkflowStore store, ActivityTimeoutProcessor timeouts, ClosedRuns closedRuns, OutboxSender outbox, TimeProvider time)
{
    /// <summary>How long a check whose index write failed waits before it tries again.</summary>
    private static readonly TimeSpan IndexRetryDelay = TimeSpan.FromSeconds(5);

    public async Task<TaskOutcome> HandleAsync(ActivityCheckMessage message, CancellationToken cancellationToken)
    {
        if (closedRuns.TakeClosed(message.WorkflowId, message.RunId))
        {
            return TaskOutcome.Completed; // The run's close was committed here: no activity of it is open any more.
        }

        var instance = await store.ReadInstanceAsync(message.WorkflowId, cancellationToken);
        if (instance is { Status: WorkflowStatus.Running, LastEventId: 1 } && instance.RunId == message.RunId)
        {
            // A check armed by an eager start of an earlier version, and the run's first task never committed: the starter died.
            // Wake the workflow. (Eager starts now arm none: the recovery sweep finds their start's pending outbox flag.)
            return TaskOutcome.RetryAs(new WorkflowTaskMessage { WorkflowId = instance.WorkflowId, RunId = instance.RunId }, TimeSpan.Zero);
        }

        if (instance is { Status: not (WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew), OutboxPending: false } && instance.RunId == message.RunId
            && instance.ActivityCheckAt == message.CheckAt)
        {
            // The run's close left its index write to this check: the closing process did it unless it died first. Writing again is
            // harmless (the index ignores a write that is not newer).
            return await outbox.WriteIndexAsync(instance, cancellationToken) ? TaskOutcome.Completed : TaskOutcome.RetryAfter(IndexRetryDelay);
        }

        if (instance is not { Status: WorkflowStatus.Running } || instance.RunId != message.RunId || instance.PendingActivities.Count == 0)
        {
            return TaskOutcome.Completed;
        }

        if (instance.ActivityCheckAt is { } armed && armed > message.CheckAt)
        {
            return TaskOutcome.Completed; // A later commit armed a later check, which covers everything this one would.
        }

        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        // Only rows of activities the instance lists as pending: a row of a recorded (or abandoned) activity may outlive it
        // briefly, and a lost commit may leave rows above the committed history (see the store's commit).
        var pending = instance.PendingActivities.Select(a => a.ScheduledEventId).ToHashSet();
        foreach (var row in await store.ReadActivitiesAsync(message.WorkflowId, instance.RunId, cancellationToken))
        {
            if (row.State != ActivityState.Closed && pending.Contains(row.ScheduledEventId) && await timeouts.EnforceAsync(row, now, cancellationToken) is { } due && (next is null || due < next))
            {
                next = due;
            }
        }

        return next is { } at ? TaskOutcome.RetryAfter(at - now) : TaskOutcome.Completed;
    }
}
