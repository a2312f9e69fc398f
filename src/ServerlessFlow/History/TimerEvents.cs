using System.Text.Json.Serialization;

namespace ServerlessFlow.History;

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
