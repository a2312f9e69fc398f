using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.History;

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

    /// <summary>The child's memo; null for none.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Memo { get; init; }

    /// <summary>The child's search attributes, normalized; null for none.</summary>
    public IReadOnlyDictionary<string, JsonElement>? SearchAttributes { get; init; }

    /// <summary>
    /// True when the parent's code awaits the child's start (<c>StartChildWorkflowAsync</c>): the engine reports it with
    /// <see cref="ChildWorkflowStarted"/>. False when the code awaits only the outcome (<c>ExecuteChildWorkflowAsync</c>), which
    /// then completes the start as well, so a child costs no extra report and workflow task.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ReportsStart { get; init; }

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

/// <summary>
/// A child workflow's first run was committed: from here on it can be signalled, and its handle knows its run.
/// Histories recorded before this event existed go from <see cref="ChildWorkflowScheduled"/> straight to the child's outcome.
/// </summary>
public sealed record ChildWorkflowStarted : HistoryEvent
{
    /// <summary>The <see cref="ChildWorkflowScheduled"/> event.</summary>
    public required long ScheduledEventId { get; init; }

    /// <summary>The child's first run ID.</summary>
    public required string RunId { get; init; }
}
