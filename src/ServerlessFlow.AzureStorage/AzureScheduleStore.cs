using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// <see cref="IScheduleStore"/> on the table "{Prefix}schedules", one partition and one row per schedule
/// (<see cref="ScheduleRows"/>). Every write carries a fresh write ID; when its outcome is in doubt — a
/// conflict (which is also what the SDK's re-send of an applied request meets) or a lost answer — the row is
/// re-read and the write ID decides: ours means written, another means the fence was lost.
/// </summary>
internal sealed class AzureScheduleStore(TableClient table, StoredJson stored) : IScheduleStore
{
    /// <summary>A table query returns at most 1,000 entities per response.</summary>
    private const int MaxPerRequest = 1000;

    private static readonly string[] DueColumns = ["PartitionKey", ScheduleRows.NextWakeAtColumn];

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        StorageErrors.Run($"Creating table '{table.Name}'", () => table.CreateIfNotExistsAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public async Task<ScheduleRecord?> ReadScheduleAsync(string scheduleId, CancellationToken cancellationToken)
    {
        var row = await TableRows.ReadAsync(table, KeyEscaping.PartitionKey(scheduleId), ScheduleRows.RowKey, cancellationToken);
        return row is null ? null : ScheduleRows.FromEntity(row, stored);
    }

    /// <inheritdoc />
    public Task<ScheduleRecord?> WriteScheduleAsync(ScheduleRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var partitionKey = KeyEscaping.PartitionKey(record.ScheduleId);
        var writeId = TableRows.NewWriteId();
        var row = ScheduleRows.ToEntity(partitionKey, record, writeId, stored);
        var operation = $"{(record.ETag is null ? "Creating" : "Updating")} schedule '{record.ScheduleId}'";
        return StorageErrors.Run(operation, async () =>
        {
            try
            {
                var response = record.ETag is null
                    ? await table.AddEntityAsync(row, cancellationToken)
                    : await table.UpdateEntityAsync(row, new ETag(record.ETag), TableUpdateMode.Replace, cancellationToken);
                return record with { ETag = response.Headers.ETag?.ToString() };
            }
            catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
            {
                // It exists, changed or is gone — or the SDK re-sent our write after it had been applied.
                var resolved = await ResolveWriteAsync(record, partitionKey, writeId, ambiguous: false, operation, cancellationToken);
                if (resolved is null && record.ETag is null
                    && await TableRows.ReadAsync(table, partitionKey, ScheduleRows.RowKey, cancellationToken) is null)
                {
                    // Azurite has answered a fresh insert with 409 while storing nothing (AZURITE.md): nothing is there, so
                    // the create was not refused by another writer; insert again (with a new write ID).
                    var retried = await table.AddEntityAsync(ScheduleRows.ToEntity(partitionKey, record, TableRows.NewWriteId(), stored), cancellationToken);
                    return record with { ETag = retried.Headers.ETag?.ToString() };
                }

                return resolved;
            }
            catch (Exception e) when (StorageErrors.IsTransport(e, cancellationToken))
            {
                return await ResolveWriteAsync(record, partitionKey, writeId, ambiguous: true, operation, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A delete whose first attempt was applied but whose answer was lost is re-sent by the SDK and meets 404:
    /// it then reports false although the schedule is gone. Callers treat false as "changed or gone" and re-read.
    /// </remarks>
    public Task<bool> DeleteScheduleAsync(string scheduleId, string etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var partitionKey = KeyEscaping.PartitionKey(scheduleId);
        return StorageErrors.Run($"Deleting schedule '{scheduleId}'", async () =>
        {
            try
            {
                // The SDK reports a missing entity as a 404 response, not as an exception.
                var response = await table.DeleteEntityAsync(partitionKey, ScheduleRows.RowKey, new ETag(etag), cancellationToken);
                return response.Status != 404;
            }
            catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
            {
                return false;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>In escaped-ID (PartitionKey) order; the token is the last PartitionKey returned.</remarks>
    public async Task<ScheduleRecordPage> ListSchedulesAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > 1000)
        {
            throw new InvalidWorkflowRequestException($"Page size {pageSize} is out of range: use 1–1000.");
        }

        var filter = continuationToken is null
            ? TableClient.CreateQueryFilter($"RowKey eq {ScheduleRows.RowKey}")
            : TableClient.CreateQueryFilter($"PartitionKey gt {ScheduleListTokens.Parse(continuationToken)} and RowKey eq {ScheduleRows.RowKey}");
        var rows = await StorageErrors.Run("Listing schedules", async () =>
        {
            // One more than a page tells whether another page follows; storage may split results across
            // responses at any point, so the items are counted, not the responses.
            var found = new List<TableEntity>(pageSize + 1);
            await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(pageSize + 1, MaxPerRequest), cancellationToken: cancellationToken))
            {
                found.Add(row);
                if (found.Count > pageSize)
                {
                    break;
                }
            }

            return found;
        }, cancellationToken);

        var page = rows.Take(pageSize).ToList();
        var token = rows.Count > pageSize ? ScheduleListTokens.Format(page[^1].PartitionKey) : null;
        return new ScheduleRecordPage(page.Select(row => ScheduleRows.FromEntity(row, stored)).ToList(), token);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A filtered scan returning only the key and the wake time; rows without <c>NextWakeAt</c> never match the
    /// comparison. Azurite compares times to the millisecond, so the filter reaches one millisecond further and
    /// the exact comparison is made here.
    /// </remarks>
    public async Task<IReadOnlyList<string>> FindDueSchedulesAsync(DateTimeOffset dueBy, int max, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }

        // The column name is literal text: CreateQueryFilter quotes only the interpolated values. It is ScheduleRows.NextWakeAtColumn.
        var filter = TableClient.CreateQueryFilter($"RowKey eq {ScheduleRows.RowKey} and NextWakeAt lt {dueBy.AddMilliseconds(1)}");
        return await StorageErrors.Run("Finding due schedules", async () =>
        {
            var due = new List<string>();
            await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: MaxPerRequest, select: DueColumns, cancellationToken: cancellationToken))
            {
                if (row.GetDateTimeOffset(ScheduleRows.NextWakeAtColumn) <= dueBy)
                {
                    due.Add(KeyEscaping.Unescape(row.PartitionKey));
                    if (due.Count >= max)
                    {
                        break;
                    }
                }
            }

            return due;
        }, cancellationToken);
    }

    /// <summary>
    /// Decides a write whose answer was a conflict or was lost: written when the row carries our write ID;
    /// lost (null) when the row is someone else's; when <paramref name="ambiguous"/> and the row is exactly as
    /// the fence expected, the write did not happen and that is a storage failure.
    /// </summary>
    private async Task<ScheduleRecord?> ResolveWriteAsync(
        ScheduleRecord record, string partitionKey, string writeId, bool ambiguous, string operation, CancellationToken cancellationToken)
    {
        var row = await TableRows.ReadAsync(table, partitionKey, ScheduleRows.RowKey, cancellationToken);
        if (row is not null && string.Equals(row.GetString(ScheduleRows.WriteIdColumn), writeId, StringComparison.Ordinal))
        {
            return record with { ETag = row.ETag.ToString() };
        }

        var unchanged = record.ETag is null ? row is null : row is not null && string.Equals(row.ETag.ToString(), record.ETag, StringComparison.Ordinal);
        return ambiguous && unchanged
            ? throw new StoreException($"{operation} failed: storage did not answer and the row is unchanged, so the write was not applied.", 0)
            : null;
    }
}
