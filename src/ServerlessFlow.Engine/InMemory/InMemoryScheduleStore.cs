using System.Globalization;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.InMemory;

/// <summary>
/// Schedules in process memory with the Azure store's contract: ETag-fenced writes (ETags are a counter),
/// pages in ordinal ID order with an opaque token, due schedules by <see cref="ScheduleRecord.NextWakeAt"/>.
/// </summary>
internal sealed class InMemoryScheduleStore : IScheduleStore
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<string, ScheduleRecord> schedules = new(StringComparer.Ordinal);
    private long etagCounter;

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ScheduleRecord?> ReadScheduleAsync(string scheduleId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(schedules.GetValueOrDefault(scheduleId));
        }
    }

    public Task<ScheduleRecord?> WriteScheduleAsync(ScheduleRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(record.ScheduleId);
        ArgumentNullException.ThrowIfNull(record.StateJson);
        lock (gate)
        {
            var current = schedules.GetValueOrDefault(record.ScheduleId);
            if (current?.ETag != record.ETag)
            {
                return Task.FromResult<ScheduleRecord?>(null);
            }

            var stored = record with { ETag = (++etagCounter).ToString(CultureInfo.InvariantCulture) };
            schedules[record.ScheduleId] = stored;
            return Task.FromResult<ScheduleRecord?>(stored);
        }
    }

    public Task<bool> DeleteScheduleAsync(string scheduleId, string etag, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var current = schedules.GetValueOrDefault(scheduleId);
            return Task.FromResult(current is not null && current.ETag == etag && schedules.Remove(scheduleId));
        }
    }

    public Task<ScheduleRecordPage> ListSchedulesAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > 1000)
        {
            throw new InvalidWorkflowRequestException($"Page size {pageSize} is out of range: use 1–1000.");
        }

        var after = continuationToken is null ? null : ScheduleListTokens.Parse(continuationToken);
        lock (gate)
        {
            var rest = schedules.Values.Where(s => after is null || string.CompareOrdinal(s.ScheduleId, after) > 0).Take(pageSize + 1).ToList();
            var page = rest.Take(pageSize).ToList();
            var token = rest.Count > pageSize ? ScheduleListTokens.Format(page[^1].ScheduleId) : null;
            return Task.FromResult(new ScheduleRecordPage(page, token));
        }
    }

    public Task<IReadOnlyList<string>> FindDueSchedulesAsync(DateTimeOffset dueBy, int max, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<string> due = schedules.Values
                .Where(s => s.NextWakeAt is { } wake && wake <= dueBy)
                .Take(Math.Max(0, max))
                .Select(s => s.ScheduleId)
                .ToList();
            return Task.FromResult(due);
        }
    }
}
