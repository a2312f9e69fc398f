using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// When a run's earliest timer (or delayed start) is due, as the recovery sweep sees it. A timer's only trigger is its delayed wake-up; one that was
/// lost (dead-lettered, deleted, or never sent past the outbox's guarantee) would leave the run waiting forever, so a backend
/// stores this time where its stalled-workflow query can filter on it, and the sweep wakes a run overdue by the stall threshold.
/// </summary>
internal static class TimerDue
{
    /// <summary>
    /// The earliest fire time of <paramref name="instance"/>'s pending timers, or of a delayed start's first task still to run (its
    /// wake-up is a timer's too); null when it has neither, is closed, or is suspended (a suspended run fires nothing until it is
    /// resumed, and the resume wakes it).
    /// </summary>
    public static DateTimeOffset? EarliestOf(InstanceRecord instance)
    {
        if (instance is not { Status: WorkflowStatus.Running, Suspension: null })
        {
            return null;
        }

        DateTimeOffset? start = instance is { AwaitingFirstTask: true, FirstTaskDueAt: { } dueAt } ? dueAt : null;
        DateTimeOffset? timer = instance.Timers.Count > 0 ? instance.Timers.Min(t => t.FireAt) : null;
        return start is null ? timer : timer is null || start < timer ? start : timer;
    }
}
