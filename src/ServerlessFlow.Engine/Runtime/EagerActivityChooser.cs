using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Chooses, as a workflow task commits a step, the activities it schedules that this process runs at once (eager activities),
/// and arms the one activity check per workflow that covers them should this process die.
/// </summary>
internal sealed class EagerActivityChooser(EagerActivities eager, OutboxSender outbox, ArmedChecks armedChecks, WorkerOptions options, TimeProvider time)
{
    /// <summary>
    /// Picks the activities this commit schedules that this process runs at once (it serves their task queue and has a free
    /// slot, within the eager budget): their rows are written started, they need no queue message, and one activity check per
    /// workflow (sent before the commit; a check about a commit that then fails finds nothing to do) covers them if this process dies.
    /// </summary>
    public async Task<(WorkflowCommit Commit, List<ActivityTaskRecord> Chosen)> ChooseAsync(
        WorkflowCommit commit, WorkflowTaskSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var chosen = new List<ActivityTaskRecord>();
        if (!session.Owns || now >= session.EagerUntil || commit.Instance.Status != WorkflowStatus.Running || commit.NewActivities.Count == 0)
        {
            return (Compacted(commit), chosen);
        }

        // Stamped now, not when the round began: the attempt's timeouts count from this start, and a slow round must not spend them.
        var startedAt = time.GetUtcNow();
        var rows = new List<ActivityTaskRecord>(commit.NewActivities.Count);
        foreach (var row in commit.NewActivities)
        {
            if (eager.CanRun(row) && eager.TryTakeSlot())
            {
                chosen.Add(row with { State = ActivityState.Started, StartedAt = startedAt });
                rows.Add(chosen[^1]);
            }
            else
            {
                rows.Add(row);
            }
        }

        if (chosen.Count == 0)
        {
            return (Compacted(commit), chosen);
        }

        var ids = chosen.Select(row => row.ScheduledEventId).ToHashSet();
        var instance = commit.Instance;
        var remaining = instance.Outbox.Where(o => !(ActivityMessages.ScheduledEventIdOf(o.Message) is { } id && ids.Contains(id))).ToList();
        var checkAt = chosen.Min(row => Activities.ActivityTimeouts.ScheduleDeadline(row) is { } s2c && s2c < Activities.ActivityTimeouts.AttemptDeadline(row).At
            ? s2c : Activities.ActivityTimeouts.AttemptDeadline(row).At) + options.ActivityTimeoutSlack;
        // A check armed earlier covers these activities if it comes no later than they need. Should it end before this commit lands,
        // it has cleared ActivityCheckAt on the row this commit is fenced by: the commit then loses its race and the next round arms one.
        if (instance.ActivityCheckAt is not { } armed || armed <= now || armed > checkAt)
        {
            var check = new ActivityCheckMessage { WorkflowId = instance.WorkflowId, RunId = instance.RunId, CheckAt = checkAt };
            armedChecks.Add(instance.WorkflowId, instance.RunId, await outbox.SendOneAsync(QueueNames.Workflow(instance.TaskQueue), check, checkAt, cancellationToken));
            armed = checkAt;
        }

        var updated = instance with { Outbox = remaining, OutboxPending = remaining.Count > 0 || instance.VisibilityChanged, ActivityCheckAt = armed };
        return (Compacted(commit with { Instance = updated, NewActivities = rows }), chosen);
    }

    /// <summary>The commit with its activity messages folded into ranges: the outbox lives in the instance row, however many a step schedules.</summary>
    private static WorkflowCommit Compacted(WorkflowCommit commit) =>
        commit.Instance.Outbox.Count < 2 ? commit : commit with { Instance = commit.Instance with { Outbox = OutboundMessage.Compact(commit.Instance.Outbox) } };
}
