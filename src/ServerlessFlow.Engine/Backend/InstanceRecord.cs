namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// The instance row: the current state of a workflow ID and the fence of every commit. A backend stores
/// it whole and returns it with an opaque <see cref="ETag"/>; a commit is accepted only if the ETag
/// it expects is still current.
/// </summary>
public sealed record InstanceRecord
{
    /// <summary>The workflow ID (unescaped).</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The current run.</summary>
    public required string RunId { get; init; }

    /// <summary>The workflow type name.</summary>
    public required string WorkflowType { get; init; }

    /// <summary>The task queue of the workflow's tasks.</summary>
    public required string TaskQueue { get; init; }

    /// <summary>Open or how it closed.</summary>
    public required WorkflowStatus Status { get; init; }

    /// <summary>When the run was started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the run closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>ID of the last committed history event of the current run. History rows beyond it are not history.</summary>
    public required long LastEventId { get; init; }

    /// <summary>Serialized size of the current run's history, for the history size limits.</summary>
    public long HistorySizeBytes { get; init; }

    /// <summary>Timers that have started and not fired, with their due times (the truth for timer wake-ups).</summary>
    public IReadOnlyList<PendingTimer> Timers { get; init; } = [];

    /// <summary>Activities scheduled and not yet completed or failed.</summary>
    public IReadOnlyList<PendingActivity> PendingActivities { get; init; } = [];

    /// <summary>Child workflows started and not yet closed, for the parent close policy.</summary>
    public IReadOnlyList<PendingChild> PendingChildren { get; init; } = [];

    /// <summary>The parent, when this workflow is a child: told when this workflow closes.</summary>
    public ParentLink? Parent { get; init; }

    /// <summary>
    /// Messages the last commit justified. They are sent after the commit; until a worker confirms
    /// that by clearing <see cref="OutboxPending"/>, anyone who finds it set sends them again.
    /// </summary>
    public IReadOnlyList<OutboundMessage> Outbox { get; init; } = [];

    /// <summary>True while the <see cref="Outbox"/> may not have been sent.</summary>
    public bool OutboxPending { get; init; }

    /// <summary>The last workflow task failure (a non-determinism error, say); cleared by the next successful commit.</summary>
    public string? LastTaskFailure { get; init; }

    /// <summary>Opaque concurrency token set by the backend; null for a record that has never been stored.</summary>
    public string? ETag { get; init; }
}

/// <summary>A started timer that has not fired.</summary>
/// <param name="StartedEventId">The <c>TimerStarted</c> event.</param>
/// <param name="FireAt">When it is due.</param>
public sealed record PendingTimer(long StartedEventId, DateTimeOffset FireAt);

/// <summary>A scheduled activity without a recorded outcome.</summary>
/// <param name="ScheduledEventId">The <c>ActivityScheduled</c> event.</param>
/// <param name="ActivityName">The activity's name.</param>
/// <param name="TaskQueue">Its task queue.</param>
public sealed record PendingActivity(long ScheduledEventId, string ActivityName, string TaskQueue);

/// <summary>A child workflow started and not yet closed.</summary>
/// <param name="ScheduledEventId">The parent's <c>ChildWorkflowScheduled</c> event.</param>
/// <param name="ChildWorkflowId">The child's ID.</param>
/// <param name="Policy">What happens to it if the parent closes first.</param>
public sealed record PendingChild(long ScheduledEventId, string ChildWorkflowId, ParentClosePolicy Policy);

/// <summary>Where a child reports its outcome.</summary>
/// <param name="WorkflowId">The parent's ID.</param>
/// <param name="RunId">The parent's run.</param>
/// <param name="ScheduledEventId">The parent's <c>ChildWorkflowScheduled</c> event.</param>
/// <param name="TaskQueue">The parent's task queue (where its wake-up goes).</param>
public sealed record ParentLink(string WorkflowId, string RunId, long ScheduledEventId, string TaskQueue);
