using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.History;

/// <summary>
/// The workflow asked to signal another workflow (an external handle, or a child's handle). The engine delivers it after the
/// commit, once, under the request ID <c>{workflow ID}/{run ID}/{event ID}</c>, and reports the outcome back.
/// </summary>
public sealed record ExternalWorkflowSignalRequested : HistoryEvent
{
    /// <summary>The target's workflow ID.</summary>
    public required string TargetWorkflowId { get; init; }

    /// <summary>The target's run; null for whichever run is current when the signal is delivered.</summary>
    public string? TargetRunId { get; init; }

    /// <summary>The signal name.</summary>
    public required string SignalName { get; init; }

    /// <summary>The argument as JSON, if any.</summary>
    public JsonElement? Input { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => $"ExternalWorkflowSignalRequested '{SignalName}' to '{TargetWorkflowId}'";
}

/// <summary>The workflow asked another workflow to cancel (an external handle). Delivered after the commit, once; the outcome is reported back.</summary>
public sealed record ExternalWorkflowCancelRequested : HistoryEvent
{
    /// <summary>The target's workflow ID.</summary>
    public required string TargetWorkflowId { get; init; }

    /// <summary>The target's run; null for whichever run is current when the request is delivered.</summary>
    public string? TargetRunId { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => $"ExternalWorkflowCancelRequested to '{TargetWorkflowId}'";
}

/// <summary>A signal or cancellation request to another workflow was delivered to it.</summary>
public sealed record ExternalWorkflowRequestCompleted : HistoryEvent
{
    /// <summary>The <see cref="ExternalWorkflowSignalRequested"/> or <see cref="ExternalWorkflowCancelRequested"/> event.</summary>
    public required long RequestedEventId { get; init; }
}

/// <summary>A signal or cancellation request to another workflow could not be delivered (no such workflow, not running, no such signal).</summary>
public sealed record ExternalWorkflowRequestFailed : HistoryEvent
{
    /// <summary>The <see cref="ExternalWorkflowSignalRequested"/> or <see cref="ExternalWorkflowCancelRequested"/> event.</summary>
    public required long RequestedEventId { get; init; }

    /// <summary>Why.</summary>
    public required FailureInfo Failure { get; init; }
}
