namespace ServerlessFlow.Schedules;

/// <summary>A schedule as it is now.</summary>
public sealed record ScheduleDescription
{
    /// <summary>The schedule ID.</summary>
    public required string Id { get; init; }

    /// <summary>What it does and when.</summary>
    public required ScheduleDefinition Definition { get; init; }

    /// <summary>True while paused: no actions are taken (trigger and backfill still are).</summary>
    public bool Paused { get; init; }

    /// <summary>The note of the last pause, unpause or create.</summary>
    public string? Note { get; init; }

    /// <summary>The next action times (with jitter), up to five.</summary>
    public IReadOnlyList<DateTimeOffset> NextActionTimes { get; init; } = [];

    /// <summary>The most recent actions, oldest first (up to ten).</summary>
    public IReadOnlyList<ScheduleActionResult> RecentActions { get; init; } = [];

    /// <summary>IDs of workflows it started that have not closed (as far as it has seen).</summary>
    public IReadOnlyList<string> RunningWorkflows { get; init; } = [];

    /// <summary>Workflows started so far.</summary>
    public long ActionCount { get; init; }

    /// <summary>Actions not taken because they were missed by more than the catch-up window.</summary>
    public long MissedCatchupWindow { get; init; }

    /// <summary>Actions skipped or dropped by the overlap policy.</summary>
    public long OverlapSkipped { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its definition or state was last changed by a user.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Concurrency token: pass it to <see cref="IScheduleClient.UpdateScheduleAsync"/> to update only this version.</summary>
    public string? ETag { get; init; }
}

/// <summary>One action a schedule took.</summary>
/// <param name="ScheduledAt">The nominal time (before jitter).</param>
/// <param name="TakenAt">When the workflow was started.</param>
/// <param name="WorkflowId">The started workflow.</param>
/// <param name="RunId">Its run.</param>
public sealed record ScheduleActionResult(DateTimeOffset ScheduledAt, DateTimeOffset TakenAt, string WorkflowId, string RunId);

/// <summary>One page of schedules, in ID order.</summary>
/// <param name="Items">Descriptions of the schedules.</param>
/// <param name="ContinuationToken">Token for the next page; null on the last.</param>
public sealed record SchedulePage(IReadOnlyList<ScheduleDescription> Items, string? ContinuationToken);
