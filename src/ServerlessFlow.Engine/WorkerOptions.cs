namespace ServerlessFlow.Engine;

/// <summary>How a worker process takes part: which task queues it serves and how much it runs at once.</summary>
public sealed record WorkerOptions
{
    /// <summary>Task queues whose workflow and activity tasks this worker runs.</summary>
    public IReadOnlyList<string> TaskQueues { get; init; } = ["default"];

    /// <summary>Most workflow tasks running at once.</summary>
    public int MaxConcurrentWorkflowTasks { get; init; } = 16;

    /// <summary>Most activity attempts running at once.</summary>
    public int MaxConcurrentActivities { get; init; } = 32;

    /// <summary>
    /// Longest wait between polls of an idle queue, per task queue served: idle pollers back off up to this times the number of
    /// <see cref="TaskQueues"/>, so an idle process costs the same (two receives per interval) however many task queues it
    /// serves. Work this process creates for itself (messages it sends, delayed ones when they come due, retries it puts back)
    /// wakes its pollers at once whatever this is, so it bounds only how late work sent by other processes is noticed: within
    /// this times the task queues served.
    /// </summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a received message stays invisible while it is handled; renewed while work goes on.</summary>
    public TimeSpan MessageLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries after which a message that keeps failing outside user code is dead-lettered.</summary>
    public int MaxDeliveries { get; init; } = 10;

    /// <summary>Age after which the recovery sweep wakes a workflow with an unsent outbox or an unconsumed inbox row.</summary>
    public TimeSpan StallThreshold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>History events after which a run is terminated (Temporal's limit). Use continue-as-new well before it.</summary>
    /// <remarks>WARNING: lowering it terminates running workflows whose histories are already longer.</remarks>
    public int MaxHistoryEvents { get; init; } = 51_200;

    /// <summary>History bytes after which a run is terminated (Temporal's 50 MB limit).</summary>
    /// <remarks>WARNING: lowering it terminates running workflows whose histories are already larger.</remarks>
    public long MaxHistoryBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>History events at which a warning is logged (Temporal's 10,240).</summary>
    public int HistoryWarningEvents { get; init; } = 10_240;

    /// <summary>History bytes at which a warning is logged (Temporal's 10 MB).</summary>
    public long HistoryWarningBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>Extra time past an activity timeout before another worker takes the attempt over (clock skew between machines).</summary>
    public TimeSpan ActivityTimeoutSlack { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest interval between two heartbeat writes of one attempt (Temporal's default throttle); shorter when the heartbeat timeout asks for it.</summary>
    public TimeSpan MaxHeartbeatThrottle { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long closed workflows are kept (counted from their close) before housekeeping deletes them; null keeps them forever.</summary>
    public TimeSpan? Retention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long one workflow task keeps driving its workflow eagerly: running the activities it scheduled in this process
    /// and committing the steps that follow without a queue hop (and, where no poller runs in the process, as on Functions,
    /// waiting for a timer that fires within it). Activities still running after it report through the workflow's inbox
    /// instead, so a long activity does not hold a workflow-task slot (or a Functions invocation). <see cref="TimeSpan.Zero"/>
    /// turns eager execution off: every activity goes through its queue.
    /// </summary>
    public TimeSpan EagerExecutionBudget { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Eager start: a start made in a process that serves the workflow's task queue runs the first workflow task there at
    /// once, without a queue hop. The start then sends no wake-up: its outbox flag, cleared by that first task's commit, is
    /// what the recovery sweep finds (past <see cref="StallThreshold"/>) to wake the workflow should that process die first.
    /// </summary>
    public bool EagerStart { get; init; } = true;

    /// <summary>How often a worker runs the recovery sweep.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(30);
}
