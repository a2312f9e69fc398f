using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Timers a workflow task waits for itself. Where no poller runs in this process (a Functions host, whose queue trigger
/// polls), a timer's delayed wake-up would end the invocation and wait for the trigger's next poll after it comes due; a
/// timer due within the task's eager budget (<see cref="WorkerOptions.EagerExecutionBudget"/>) is instead waited for here,
/// and the task carries on driving the workflow when it fires. Its wake-up is still sent — before the commit that starts the
/// timer, delayed past the fire time — as the safety net should this process die meanwhile, and withdrawn once the timer
/// has fired. Where pollers run, the timer's message wakes them when it comes due (<see cref="LocalWakeups"/>), so the task
/// ends as before.
/// </summary>
internal sealed class InProcessTimers(OutboxSender outbox, LocalWakeups wakeups)
{
    /// <summary>
    /// How long after its fire time a timer's safety wake-up becomes visible: by then the waiting task has fired the timer and
    /// withdrawn the message. Queues count delays in whole seconds, rounding down, so one second of it keeps the message from
    /// arriving before the fire time; the other covers the commit and the withdrawal.
    /// </summary>
    internal static readonly TimeSpan SafetyLag = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When the run's earliest timer fires, if <paramref name="session"/> should wait for it in-process: the task owns the
    /// workflow, the run is open and not held (suspended, or a delayed start not yet due), no poller here would be woken by the
    /// timer's message, and the timer fires within the eager budget. Null otherwise.
    /// </summary>
    public DateTimeOffset? WaitFor(WorkflowTaskSession session, InstanceRecord instance)
    {
        if (!session.Owns || wakeups.Listening || instance is not { Status: WorkflowStatus.Running, Suspension: null, FirstTaskDueAt: null }
            || instance.Timers.Count == 0)
        {
            return null;
        }

        var first = instance.Timers.Min(t => t.FireAt);
        return first <= session.EagerUntil ? first : null;
    }

    /// <summary>
    /// Before <paramref name="commit"/>: sends now the wake-ups of the timers it starts that this task will wait for, delayed to
    /// <see cref="SafetyLag"/> past their fire time, and takes them out of its outbox (a commit that then fails leaves a
    /// wake-up that finds nothing due). A commit left with nothing to send needs no outbox clearing afterwards.
    /// </summary>
    public async Task<WorkflowCommit> SendAheadAsync(WorkflowCommit commit, WorkflowTaskSession session, CancellationToken cancellationToken)
    {
        var instance = commit.Instance;
        if (!session.Owns || wakeups.Listening || instance.Status != WorkflowStatus.Running)
        {
            return commit;
        }

        var ahead = instance.Outbox.Where(o => o.Message is WorkflowTaskMessage { TimerAt: { } at }
            && at <= session.EagerUntil && instance.Timers.Any(t => t.FireAt == at)).ToList();
        if (ahead.Count == 0)
        {
            return commit;
        }

        foreach (var wakeUp in ahead)
        {
            var fireAt = ((WorkflowTaskMessage)wakeUp.Message).TimerAt!.Value;
            session.TimerMessages.Add((fireAt, await outbox.SendOneAsync(wakeUp.Queue, wakeUp.Message, fireAt + SafetyLag, cancellationToken)));
        }

        var remaining = instance.Outbox.Except(ahead).ToList();
        return commit with { Instance = instance with { Outbox = remaining, OutboxPending = remaining.Count > 0 || instance.VisibilityChanged } };
    }

    /// <summary>After a commit: withdraws the wake-ups this task sent for timers that are no longer pending (fired, cancelled, or the run closed).</summary>
    public async Task WithdrawFiredAsync(InstanceRecord committed, WorkflowTaskSession session, CancellationToken cancellationToken)
    {
        var open = committed.Status == WorkflowStatus.Running;
        foreach (var done in session.TimerMessages.Where(m => !open || committed.Timers.All(t => t.FireAt != m.FireAt)).ToList())
        {
            session.TimerMessages.Remove(done);
            await outbox.WithdrawAsync(done.Sent, committed.WorkflowId, cancellationToken);
        }
    }
}
