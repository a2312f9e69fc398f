using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.History;

/// <summary>
/// One entry of a workflow run's append-only history. Event IDs start at 1 and are consecutive;
/// nothing ever edits a recorded event. <see cref="Timestamp"/> is the time of the workflow task that
/// recorded it, which is what <c>Workflow.UtcNow</c> returns while the code handles it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(WorkflowStarted), nameof(WorkflowStarted))]
[JsonDerivedType(typeof(ActivityScheduled), nameof(ActivityScheduled))]
[JsonDerivedType(typeof(ActivityCompleted), nameof(ActivityCompleted))]
[JsonDerivedType(typeof(ActivityFailed), nameof(ActivityFailed))]
[JsonDerivedType(typeof(TimerStarted), nameof(TimerStarted))]
[JsonDerivedType(typeof(TimerFired), nameof(TimerFired))]
[JsonDerivedType(typeof(TimerCanceled), nameof(TimerCanceled))]
[JsonDerivedType(typeof(WorkflowCompleted), nameof(WorkflowCompleted))]
[JsonDerivedType(typeof(WorkflowFailed), nameof(WorkflowFailed))]
[JsonDerivedType(typeof(WorkflowTerminated), nameof(WorkflowTerminated))]
[JsonDerivedType(typeof(WorkflowSignaled), nameof(WorkflowSignaled))]
[JsonDerivedType(typeof(MarkerRecorded), nameof(MarkerRecorded))]
[JsonDerivedType(typeof(WorkflowCancelRequested), nameof(WorkflowCancelRequested))]
[JsonDerivedType(typeof(WorkflowUpdateAccepted), nameof(WorkflowUpdateAccepted))]
[JsonDerivedType(typeof(ChildWorkflowScheduled), nameof(ChildWorkflowScheduled))]
[JsonDerivedType(typeof(ChildWorkflowCompleted), nameof(ChildWorkflowCompleted))]
[JsonDerivedType(typeof(ChildWorkflowFailed), nameof(ChildWorkflowFailed))]
[JsonDerivedType(typeof(WorkflowUpdateCompleted), nameof(WorkflowUpdateCompleted))]
[JsonDerivedType(typeof(WorkflowCanceled), nameof(WorkflowCanceled))]
[JsonDerivedType(typeof(WorkflowContinuedAsNew), nameof(WorkflowContinuedAsNew))]
public abstract record HistoryEvent
{
    /// <summary>Position in the run's history, from 1.</summary>
    public long EventId { get; init; }

    /// <summary>When the workflow task that recorded this event ran.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>True for events the workflow code produces (commands); false for events that arrive from outside.</summary>
    [JsonIgnore]
    public virtual bool IsCommand => false;

    /// <summary>A short description used in non-determinism messages.</summary>
    public virtual string Describe() => GetType().Name;
}

/// <summary>The run began: first event of every history.</summary>
public sealed record WorkflowStarted : HistoryEvent
{
    /// <summary>The workflow type name.</summary>
    public required string WorkflowType { get; init; }

    /// <summary>The task queue the workflow runs on.</summary>
    public required string TaskQueue { get; init; }

    /// <summary>The run method's argument as JSON, if any.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>Seed of the workflow's deterministic random numbers and GUIDs.</summary>
    public required int RandomSeed { get; init; }
}

/// <summary>The workflow scheduled an activity.</summary>
public sealed record ActivityScheduled : HistoryEvent
{
    /// <summary>The activity name.</summary>
    public required string ActivityName { get; init; }

    /// <summary>The activity's arguments as a JSON array.</summary>
    public required JsonElement Input { get; init; }

    /// <summary>The task queue the activity runs on.</summary>
    public required string TaskQueue { get; init; }

    /// <summary>Timeouts and retry policy, with defaults filled in.</summary>
    public required ActivityOptions Options { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => $"ActivityScheduled '{ActivityName}'";
}

/// <summary>An activity returned; recorded once, after its last attempt.</summary>
public sealed record ActivityCompleted : HistoryEvent
{
    /// <summary>The <see cref="ActivityScheduled"/> event this completes.</summary>
    public required long ScheduledEventId { get; init; }

    /// <summary>The result as JSON; null for activities that return nothing.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>The attempt that succeeded (1 for the first).</summary>
    public required int Attempt { get; init; }
}

/// <summary>An activity failed for good (retries exhausted, non-retryable, or timed out).</summary>
public sealed record ActivityFailed : HistoryEvent
{
    /// <summary>The <see cref="ActivityScheduled"/> event this fails.</summary>
    public required long ScheduledEventId { get; init; }

    /// <summary>Why it failed.</summary>
    public required FailureInfo Failure { get; init; }

    /// <summary>How many attempts ran.</summary>
    public required int Attempt { get; init; }
}

/// <summary>The workflow started a durable timer.</summary>
public sealed record TimerStarted : HistoryEvent
{
    /// <summary>When the timer is due.</summary>
    public required DateTimeOffset FireAt { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "TimerStarted";
}

/// <summary>A durable timer fired.</summary>
public sealed record TimerFired : HistoryEvent
{
    /// <summary>The <see cref="TimerStarted"/> event of the timer.</summary>
    public required long StartedEventId { get; init; }
}

/// <summary>The workflow cancelled a timer before it fired.</summary>
public sealed record TimerCanceled : HistoryEvent
{
    /// <summary>The <see cref="TimerStarted"/> event of the timer.</summary>
    public required long StartedEventId { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "TimerCanceled";
}

/// <summary>The run method returned; last event of the run.</summary>
public sealed record WorkflowCompleted : HistoryEvent
{
    /// <summary>The result as JSON; null when the run method returns nothing.</summary>
    public JsonElement? Result { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "WorkflowCompleted";
}

/// <summary>The run method threw; last event of the run.</summary>
public sealed record WorkflowFailed : HistoryEvent
{
    /// <summary>The failure.</summary>
    public required FailureInfo Failure { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "WorkflowFailed";
}

/// <summary>The run was terminated from outside; no workflow code ran for it. Last event of the run.</summary>
public sealed record WorkflowTerminated : HistoryEvent
{
    /// <summary>The reason given by whoever terminated it.</summary>
    public string? Reason { get; init; }
}

/// <summary>A signal was delivered to the workflow.</summary>
public sealed record WorkflowSignaled : HistoryEvent
{
    /// <summary>The signal name.</summary>
    public required string SignalName { get; init; }

    /// <summary>The argument as JSON, if any.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>The sender's request ID, which made a repeated send a no-op.</summary>
    public required string RequestId { get; init; }
}

/// <summary>The workflow code passed a versioning marker (<c>Workflow.Patched</c> or <c>Workflow.DeprecatePatch</c>).</summary>
public sealed record MarkerRecorded : HistoryEvent
{
    /// <summary>The patch ID.</summary>
    public required string PatchId { get; init; }

    /// <summary>True when recorded by <c>DeprecatePatch</c>.</summary>
    public bool Deprecated { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => $"MarkerRecorded '{PatchId}'";
}

/// <summary>Someone asked the workflow to cancel; the code sees it at its pending awaits.</summary>
public sealed record WorkflowCancelRequested : HistoryEvent
{
    /// <summary>Why, if the requester said.</summary>
    public string? Reason { get; init; }
}

/// <summary>The workflow ended because of a cancellation request; last event of the run.</summary>
public sealed record WorkflowCanceled : HistoryEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "WorkflowCanceled";
}

/// <summary>The run ended by continuing as a new run with the same workflow ID; last event of the run.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Temporal's event name, which users know.")]
public sealed record WorkflowContinuedAsNew : HistoryEvent
{
    /// <summary>The new run's ID.</summary>
    public required string NewRunId { get; init; }

    /// <summary>The new run's input.</summary>
    public JsonElement? Input { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "WorkflowContinuedAsNew";
}

/// <summary>An update passed validation and was handed to the workflow.</summary>
public sealed record WorkflowUpdateAccepted : HistoryEvent
{
    /// <summary>The caller's update ID; a repeat with the same ID is applied once.</summary>
    public required string UpdateId { get; init; }

    /// <summary>The update name.</summary>
    public required string UpdateName { get; init; }

    /// <summary>The argument as JSON, if any.</summary>
    public JsonElement? Input { get; init; }
}

/// <summary>An update's handler finished: its result or its failure.</summary>
public sealed record WorkflowUpdateCompleted : HistoryEvent
{
    /// <summary>The update ID.</summary>
    public required string UpdateId { get; init; }

    /// <summary>The result as JSON, when it succeeded.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>The failure, when the handler threw.</summary>
    public FailureInfo? Failure { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => $"WorkflowUpdateCompleted '{UpdateId}'";
}

/// <summary>The workflow started a child workflow.</summary>
public sealed record ChildWorkflowScheduled : HistoryEvent
{
    /// <summary>The child's workflow ID.</summary>
    public required string ChildWorkflowId { get; init; }

    /// <summary>The child's workflow type.</summary>
    public required string WorkflowType { get; init; }

    /// <summary>The child's input.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>The child's task queue.</summary>
    public required string TaskQueue { get; init; }

    /// <summary>What happens to the child if the parent closes first.</summary>
    public ParentClosePolicy ParentClosePolicy { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => $"ChildWorkflowScheduled '{WorkflowType}'";
}

/// <summary>A child workflow completed.</summary>
public sealed record ChildWorkflowCompleted : HistoryEvent
{
    /// <summary>The <see cref="ChildWorkflowScheduled"/> event.</summary>
    public required long ScheduledEventId { get; init; }

    /// <summary>The child's result.</summary>
    public JsonElement? Result { get; init; }
}

/// <summary>A child workflow ended without completing (failed, canceled, terminated, or could not start).</summary>
public sealed record ChildWorkflowFailed : HistoryEvent
{
    /// <summary>The <see cref="ChildWorkflowScheduled"/> event.</summary>
    public required long ScheduledEventId { get; init; }

    /// <summary>How the child ended.</summary>
    public required WorkflowStatus Status { get; init; }

    /// <summary>Why.</summary>
    public required FailureInfo Failure { get; init; }
}
