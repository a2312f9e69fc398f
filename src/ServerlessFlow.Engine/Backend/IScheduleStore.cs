namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// Durable schedules: one row per schedule, replaced only while its ETag is current (like the instance
/// row). The store does not interpret the state; it indexes <see cref="ScheduleRecord.NextWakeAt"/> for the
/// housekeeping backstop. Every method is safe to call from any number of processes at once.
/// </summary>
public interface IScheduleStore
{
    /// <summary>Creates the table; idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads a schedule; null if it does not exist.</summary>
    Task<ScheduleRecord?> ReadScheduleAsync(string scheduleId, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts (<see cref="ScheduleRecord.ETag"/> null) or replaces (ETag current) the schedule. Returns the
    /// stored record with its new ETag, or null when the fence failed (it exists, or changed, or is gone) and nothing was written.
    /// </summary>
    Task<ScheduleRecord?> WriteScheduleAsync(ScheduleRecord record, CancellationToken cancellationToken);

    /// <summary>Deletes the schedule if it still has <paramref name="etag"/>; false otherwise.</summary>
    Task<bool> DeleteScheduleAsync(string scheduleId, string etag, CancellationToken cancellationToken);

    /// <summary>One page of schedules in ID order.</summary>
    Task<ScheduleRecordPage> ListSchedulesAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>IDs of schedules with a <see cref="ScheduleRecord.NextWakeAt"/> at or before <paramref name="dueBy"/>, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<string>> FindDueSchedulesAsync(DateTimeOffset dueBy, int max, CancellationToken cancellationToken);
}

/// <summary>A stored schedule.</summary>
public sealed record ScheduleRecord
{
    /// <summary>The schedule ID (unescaped).</summary>
    public required string ScheduleId { get; init; }

    /// <summary>The engine's state of the schedule as JSON (up to 512 KiB); opaque to the store.</summary>
    public required string StateJson { get; init; }

    /// <summary>When the schedule next needs a pass; null when it needs none (paused, or finished).</summary>
    public DateTimeOffset? NextWakeAt { get; init; }

    /// <summary>Opaque concurrency token set by the store; null for a record never stored.</summary>
    public string? ETag { get; init; }
}

/// <summary>One page of schedules.</summary>
/// <param name="Items">The schedules, in ID order.</param>
/// <param name="ContinuationToken">Token for the next page; null on the last.</param>
public sealed record ScheduleRecordPage(IReadOnlyList<ScheduleRecord> Items, string? ContinuationToken);
