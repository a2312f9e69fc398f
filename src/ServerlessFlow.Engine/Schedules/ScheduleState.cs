using System.Text.Json;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Engine.Schedules;

/// <summary>Everything the engine keeps about a schedule: stored as JSON in <see cref="ScheduleRecord.StateJson"/>.</summary>
internal sealed record ScheduleState
{
    /// <summary>Spec, action (its input as JSON) and policies.</summary>
    public required ScheduleDefinition Definition { get; init; }

    /// <summary>Paused by a user.</summary>
    public bool Paused { get; init; }

    /// <summary>The note of the last create, pause or unpause.</summary>
    public string? Note { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a user last changed it.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Nominal times up to here have been considered (taken, buffered, skipped or missed); never moves back.</summary>
    public required DateTimeOffset Watermark { get; init; }

    /// <summary>Actions waiting to start, oldest first.</summary>
    public IReadOnlyList<BufferedAction> Buffer { get; init; } = [];

    /// <summary>Workflows it started and has not seen close.</summary>
    public IReadOnlyList<string> Running { get; init; } = [];

    /// <summary>Backfill ranges not yet walked.</summary>
    public IReadOnlyList<BackfillRange> Backfills { get; init; } = [];

    /// <summary>The latest actions, oldest first.</summary>
    public IReadOnlyList<ScheduleActionResult> RecentActions { get; init; } = [];

    /// <summary>Workflows started.</summary>
    public long ActionCount { get; init; }

    /// <summary>Times missed by more than the catch-up window.</summary>
    public long MissedCatchupWindow { get; init; }

    /// <summary>Times skipped or dropped by the overlap policy.</summary>
    public long OverlapSkipped { get; init; }

    /// <summary>The wake time a queue message was last sent for (so that passes do not multiply messages).</summary>
    public DateTimeOffset? ArmedFor { get; init; }

    public static ScheduleState Parse(ScheduleRecord record) =>
        JsonSerializer.Deserialize(record.StateJson, Serialization.EngineJson.ScheduleState)
        ?? throw new InvalidOperationException($"Schedule '{record.ScheduleId}' has an empty state.");

    public string ToJson() => JsonSerializer.Serialize(this, Serialization.EngineJson.ScheduleState);
}

/// <summary>An action waiting to start.</summary>
/// <param name="Nominal">Its nominal time (the run's ID is made of it).</param>
/// <param name="Overlap">The policy it is under.</param>
/// <param name="Manual">Asked for by trigger or backfill: taken even while the schedule is paused.</param>
internal sealed record BufferedAction(DateTimeOffset Nominal, ScheduleOverlapPolicy Overlap, bool Manual = false);

/// <summary>A backfill not yet walked: spec times in (<paramref name="After"/>, <paramref name="End"/>).</summary>
/// <param name="After">Times after this are still to do.</param>
/// <param name="End">End of the range, exclusive.</param>
/// <param name="Overlap">The policy its actions are under.</param>
internal sealed record BackfillRange(DateTimeOffset After, DateTimeOffset End, ScheduleOverlapPolicy Overlap);
