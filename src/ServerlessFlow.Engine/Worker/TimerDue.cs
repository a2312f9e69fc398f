using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// When a run's earliest timer is due, as the recovery sweep sees it. A timer's only trigger is its delayed wake-up; one that was
/// lost (dead-lettered, deleted, or never sent past the outbox's guarantee) would leave the run waiting forever, so a backend
/// stores this time where its stalled-workflow query can filter on it, and the sweep wakes a run overdue by the stall threshold.
/// </summary>
internal static class TimerDue
{
    /// <summary>
    /// The earliest fire time of <paramref name="instance"/>'s pending timers; null when it has none, is closed, or is suspended
    /// (a suspended run fires nothing until it is resumed, and the resume wakes it).
    /// </summary>
    public static DateTimeOffset? EarliestOf(InstanceRecord instance) =>
        instance is { Status: WorkflowStatus.Running, Suspension: null, Timers.Count: > 0 } ? instance.Timers.Min(t => t.FireAt) : null;
}
