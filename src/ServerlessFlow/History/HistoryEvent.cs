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
[JsonDerivedType(typeof(ActivityCanceled), nameof(ActivityCanceled))]
[JsonDerivedType(typeof(TimerStarted), nameof(TimerStarted))]
[JsonDerivedType(typeof(TimerFired), nameof(TimerFired))]
[JsonDerivedType(typeof(TimerCanceled), nameof(TimerCanceled))]
[JsonDerivedType(typeof(WorkflowCompleted), nameof(WorkflowCompleted))]
[JsonDerivedType(typeof(WorkflowFailed), nameof(WorkflowFailed))]
[JsonDerivedType(typeof(WorkflowTerminated), nameof(WorkflowTerminated))]
[JsonDerivedType(typeof(WorkflowSignaled), nameof(WorkflowSignaled))]
[JsonDerivedType(typeof(MarkerRecorded), nameof(MarkerRecorded))]
[JsonDerivedType(typeof(SearchAttributesUpserted), nameof(SearchAttributesUpserted))]
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

    /// <summary>
    /// True on the first inbound event of a workflow task, so replay hands the code the same batches the
    /// live run did (two tasks in a row that produced no commands are not merged into one).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool StartsTask { get; init; }

    /// <summary>True for events the workflow code produces (commands); false for events that arrive from outside.</summary>
    [JsonIgnore]
    public virtual bool IsCommand => false;

    /// <summary>A short description used in non-determinism messages.</summary>
    public virtual string Describe() => GetType().Name;
}
