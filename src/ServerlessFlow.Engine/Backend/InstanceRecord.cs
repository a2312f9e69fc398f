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

    /// <summary>True while the <see cref="Outbox"/> may not have been sent, or (with <see cref="VisibilityChanged"/>) the index entry not written.</summary>
    public bool OutboxPending { get; init; }

    /// <summary>The last workflow task failure (a non-determinism error, say); cleared by the next successful commit.</summary>
    public string? LastTaskFailure { get; init; }

    /// <summary>Dead-lettered messages the run waits on, until each is dealt with (see <see cref="DeadLetterNote"/>); oldest first.</summary>
    public IReadOnlyList<DeadLetterNote> DeadLetters { get; init; } = [];

    /// <summary>
    /// Orders the visibility index writes of this workflow ID: +1 per commit and carried over to the next
    /// run; a new ID starts at the clock's ticks, so a start after a purge outranks index writes the purge missed.
    /// </summary>
    public long Version { get; init; }

    /// <summary>
    /// True when this commit changed what the visibility index shows (start, status, search attributes): the index entry
    /// is written with the outbox. Meaningful only while <see cref="OutboxPending"/> is set.
    /// </summary>
    public bool VisibilityChanged { get; init; }

    /// <summary>Search attributes as normalized JSON (see <see cref="SearchAttributeType"/>); carried to the next run on continue-as-new.</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement> SearchAttributes { get; init; } = new Dictionary<string, System.Text.Json.JsonElement>();

    /// <summary>
    /// When the activity check armed for this run (<see cref="TaskKind.ActivityCheck"/>) fires; null when none is armed.
    /// A hint that spares a commit from sending another: a check that is missing or already fired is simply sent again. The check
    /// clears it when it ends with the run open, fenced by the row it read, so a commit that counted on it either landed before that
    /// read (and was seen) or loses its race and arms another.
    /// </summary>
    public DateTimeOffset? ActivityCheckAt { get; init; }

    /// <summary>
    /// When the run's first workflow task is due, for a start with <see cref="StartWorkflowOptions.StartDelay"/>; null for a run that
    /// started at once. Until then no workflow task runs: what arrives waits in the inbox, as during a suspension. The start's
    /// delayed wake-up (<see cref="WorkflowTaskMessage.TimerAt"/> set to this time) begins the run, re-armed if it arrives early.
    /// </summary>
    public DateTimeOffset? FirstTaskDueAt { get; init; }

    /// <summary>
    /// True from a delayed start (<see cref="FirstTaskDueAt"/>) until its first workflow task commits: the run's code has not begun,
    /// and its only trigger is the start's delayed wake-up. While it is set, the recovery sweep treats the due time like a timer's
    /// (<see cref="Worker.TimerDue"/>), so a lost wake-up does not leave the run waiting forever.
    /// </summary>
    public bool AwaitingFirstTask { get; init; }

    /// <summary>Set while the run is suspended: no workflow task runs until a resume clears it (and wakes the workflow).</summary>
    public WorkflowSuspension? Suspension { get; init; }

    /// <summary>The schedule that started this workflow: told (by the outbox of the closing commit) when it closes.</summary>
    public ScheduleLink? ScheduledBy { get; init; }

    /// <summary>The run's root trace context (W3C traceparent), as its <c>WorkflowStarted</c> event records it; null when untraced.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Opaque concurrency token set by the backend; null for a record that has never been stored.</summary>
    public string? ETag { get; init; }

    /// <summary>
    /// Opaque token of the workflow's inbox as the backend last saw it: every inbox insert changes it. Set by
    /// <see cref="IWorkflowStore.LoadAsync"/> and by a commit that starts a run or is fenced by it (<see cref="WorkflowCommit.FenceInbox"/>);
    /// any other commit returns the token it was given. Not part of the instance row (<see cref="IWorkflowStore.ReadInstanceAsync"/> leaves it null).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? InboxETag { get; init; }
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

/// <summary>The schedule that started a workflow.</summary>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="TaskQueue">The workflow queue its passes run on.</param>
public sealed record ScheduleLink(string ScheduleId, string TaskQueue);
