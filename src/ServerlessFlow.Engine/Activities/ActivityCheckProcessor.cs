using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Handles <see cref="ActivityCheckMessage"/>: the one delayed message per workflow that enforces the timeouts of the
/// activities a worker runs eagerly, should that worker die. It looks at every open activity of the run, applies the
/// timeouts that passed, and comes back (the same message, delayed) only while some activity still has a deadline ahead.
/// A check superseded by a later one that a commit armed is dropped, so a workflow has one check in flight, not one per activity.
/// The armed check that ends with the run open clears the instance row's <c>ActivityCheckAt</c> (fenced by the row it read), so no
/// commit can count on a check that has gone.
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

        while (true)
        {
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

            if (instance is not { Status: WorkflowStatus.Running } || instance.RunId != message.RunId)
            {
                return TaskOutcome.Completed;
            }

            if (instance.ActivityCheckAt is { } armed && armed > message.CheckAt)
            {
                return TaskOutcome.Completed; // A later commit armed a later check, which covers everything this one would.
            }

            var now = time.GetUtcNow();
            if (await EnforceAsync(instance, now, cancellationToken) is { } next)
            {
                return TaskOutcome.RetryAfter(next - now);
            }

            // Done. A commit that read this check on the instance row as armed (and due later than its own time) sends no other, but it
            // may land after this read, with an activity it runs eagerly that this check never saw — and nothing would take that attempt
            // over if its process died. So the check that ends disarms itself, fenced by the instance row it read: such a commit then
            // loses its race and arms another when it runs again; and if a commit landed first, this check looks again.
            if (instance.ActivityCheckAt != message.CheckAt
                || await store.CommitAsync(new WorkflowCommit { Instance = instance with { ActivityCheckAt = null } }, cancellationToken) is not null)
            {
                return TaskOutcome.Completed;
            }
        }
    }

    /// <summary>Applies the timeouts that passed to the run's open activities; returns when the check must look again, or null when no activity needs it.</summary>
    private async Task<DateTimeOffset?> EnforceAsync(InstanceRecord instance, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (instance.PendingActivities.Count == 0)
        {
            return null;
        }

        DateTimeOffset? next = null;
        // Only rows of activities the instance lists as pending: a row of a recorded (or abandoned) activity may outlive it
        // briefly, and a lost commit may leave rows above the committed history (see the store's commit).
        var pending = instance.PendingActivities.Select(a => a.ScheduledEventId).ToHashSet();
        foreach (var row in await store.ReadActivitiesAsync(instance.WorkflowId, instance.RunId, cancellationToken))
        {
            if (row.State != ActivityState.Closed && pending.Contains(row.ScheduledEventId) && await timeouts.EnforceAsync(row, now, cancellationToken) is { } due && (next is null || due < next))
            {
                next = due;
            }
        }

        return next;
    }
}
