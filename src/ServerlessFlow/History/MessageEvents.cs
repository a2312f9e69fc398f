using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.History;

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
