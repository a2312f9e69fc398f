using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.History;

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

/// <summary>
/// The workflow cancelled an activity before its outcome (through <see cref="ActivityOptions.CancellationToken"/>): its
/// task row is deleted, which a heartbeating attempt sees as cancellation, and a late outcome is dropped.
/// </summary>
public sealed record ActivityCanceled : HistoryEvent
{
    /// <summary>The <see cref="ActivityScheduled"/> event of the activity.</summary>
    public required long ScheduledEventId { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "ActivityCanceled";
}
