using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// <see cref="IVisibilityStore"/> on the table "{prefix}visibility" (layout in <see cref="VisibilityKeys"/>).
/// Every change of one workflow's entry is ONE entity-group transaction fenced by its pointer row: replace
/// the pointer (If-Match, or Add when there is none), upsert the index rows wanted now, delete the ones the
/// pointer lists and are no longer wanted. A lost race re-reads the pointer and decides again. This file holds
/// the writes and the retention read; the listing is in <c>AzureVisibilityStore.Query.cs</c>.
/// </summary>
internal sealed partial class AzureVisibilityStore(TableClient table) : IVisibilityStore
{
    /// <summary>
    /// Rounds of "read the pointer, write" before a write gives up with a <see cref="StoreException"/>: each lost
    /// round means another writer changed the entry, and the caller's retry (the sweep) takes over.
    /// </summary>
    private const int MaxWriteRounds = 5;

    /// <summary>Pointer rows this store remembers at most; past it the memory starts over (a forgotten row costs one read).</summary>
    private const int MaxRemembered = 10_000;

    /// <summary>
    /// The pointer row this store last wrote for each open workflow, with its ETag: the run's next write here (its close,
    /// after a start in the same process) replaces it without reading it first. A row someone else changed since fails
    /// the ETag fence, and the write reads and decides again, so a stale memory costs only the read it meant to save.
    /// </summary>
    private readonly ConcurrentDictionary<string, TableEntity> written = new(StringComparer.Ordinal);

    /// <summary>Azure returns at most 1,000 entities per query page.</summary>
    private const int MaxEntitiesPerPage = 1_000;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        StorageErrors.Run($"Creating table '{table.Name}'", () => table.CreateIfNotExistsAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One transaction when this store wrote the entry last (it remembers the pointer row), or when an open run's entry is
    /// written for the first time (a start: the pointer is added, and read only if it turns out to exist); otherwise a point
    /// read of the pointer row first. None when the stored version is as high.
    /// </remarks>
    public async Task UpsertAsync(VisibilityRecord record, CancellationToken cancellationToken)
    {
        var rows = VisibilityRows.Create(record);
        var operation = $"Indexing workflow '{record.WorkflowId}' at version {record.Version}";
        var remembered = written.TryGetValue(record.WorkflowId, out var known) ? known : null;
        await StorageErrors.Run(operation, async () =>
        {
            for (var round = 1; round <= MaxWriteRounds; round++)
            {
                var guess = round == 1 && (remembered is not null || record.Status == WorkflowStatus.Running);
                var stored = guess ? remembered : await TableRows.ReadAsync(table, rows.PartitionKey, rows.PointerKey, cancellationToken);
                if (stored is not null && StoredVersion(stored) >= record.Version)
                {
                    return;
                }

                if (await TrySubmitAsync(UpsertActions(rows, stored, operation), cancellationToken) is { } response)
                {
                    Remember(record, rows.Pointer(), response.Value[0].Headers.ETag);
                    return;
                }
            }

            throw Contended(operation);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string workflowId, long maxVersion, CancellationToken cancellationToken)
    {
        var (partitionKey, _) = VisibilityKeys.Locate(workflowId);
        var pointerKey = VisibilityKeys.Pointer(workflowId);
        var operation = $"Removing workflow '{workflowId}' from the visibility index";
        written.TryRemove(workflowId, out _);
        await StorageErrors.Run(operation, async () =>
        {
            for (var round = 1; round <= MaxWriteRounds; round++)
            {
                var stored = await TableRows.ReadAsync(table, partitionKey, pointerKey, cancellationToken);
                if (stored is null || StoredVersion(stored) > maxVersion)
                {
                    return;
                }

                var actions = VisibilityRows.ListedKeys(stored).Select(key => Delete(partitionKey, key, ETag.All))
                    .Prepend(Delete(partitionKey, pointerKey, stored.ETag));
                if (await TrySubmitAsync(actions, cancellationToken) is not null)
                {
                    return;
                }
            }

            throw Contended(operation);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One query of the C rows per shard, in parallel; each returns at most <paramref name="max"/> rows, oldest close first.</remarks>
    public async Task<IReadOnlyList<VisibilityRecord>> FindClosedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }

        var upper = VisibilityKeys.ClosedBefore(cutoff);
        var shards = await Task.WhenAll(VisibilityKeys.Partitions.Select(partitionKey =>
            StorageErrors.Run($"Finding workflows closed before {cutoff:O}", async () =>
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {VisibilityKeys.ClosedPrefix} and RowKey lt {upper}");
                var found = new List<TableEntity>();
                await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, MaxEntitiesPerPage), cancellationToken: cancellationToken))
                {
                    found.Add(row);
                    if (found.Count == max)
                    {
                        break;
                    }
                }

                return found;
            }, cancellationToken)));
        return shards.SelectMany(rows => rows).OrderBy(row => row.RowKey, StringComparer.Ordinal).Take(max).Select(VisibilityRows.Read).ToList();
    }

    /// <summary>The transaction that makes <paramref name="rows"/> the entry, replacing <paramref name="stored"/> (null: none yet).</summary>
    private static List<TableTransactionAction> UpsertActions(VisibilityRows rows, TableEntity? stored, string operation)
    {
        var actions = new List<TableTransactionAction>
        {
            stored is null
                ? new(TableTransactionActionType.Add, rows.Pointer())
                : new(TableTransactionActionType.UpdateReplace, rows.Pointer(), stored.ETag),
        };
        actions.AddRange(rows.IndexKeys.Select(key => new TableTransactionAction(TableTransactionActionType.UpsertReplace, rows.Index(key))));
        if (stored is not null)
        {
            actions.AddRange(VisibilityRows.ListedKeys(stored).Except(rows.IndexKeys, StringComparer.Ordinal).Select(key => Delete(rows.PartitionKey, key, ETag.All)));
        }

        return actions.Count <= AzureLimits.MaxOperationsPerBatch
            ? actions
            : throw new StoreException(
                $"{operation} needs {actions.Count} operations in one transaction, which holds {AzureLimits.MaxOperationsPerBatch}: the workflow has too many search attributes.", 0, isTooLarge: true);
    }

    /// <summary>
    /// Submits a transaction fenced by the pointer row (its first action). Null when the fence failed — another writer
    /// replaced (412), added (409) or deleted (404) the pointer — or the answer was lost: the caller re-reads and decides again.
    /// </summary>
    private async Task<Response<IReadOnlyList<Response>>?> TrySubmitAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            return await table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
        {
            return null;
        }
        catch (Exception e) when (StorageErrors.IsTransport(e, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>Remembers the pointer row just written for an open run (a closed run's entry is written again only by rare paths).</summary>
    private void Remember(VisibilityRecord record, TableEntity pointer, ETag? etag)
    {
        if (record.Status != WorkflowStatus.Running || etag is not { } tag)
        {
            written.TryRemove(record.WorkflowId, out _);
            return;
        }

        if (written.Count >= MaxRemembered)
        {
            written.Clear();
        }

        pointer.ETag = tag;
        written[record.WorkflowId] = pointer;
    }

    private static long StoredVersion(TableEntity pointer) => pointer.GetInt64(VisibilityRows.VersionColumn) ?? long.MaxValue;

    private static TableTransactionAction Delete(string partitionKey, string rowKey, ETag etag) =>
        new(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), etag);

    private static StoreException Contended(string operation) =>
        new($"{operation} failed: the entry changed under every one of {MaxWriteRounds} attempts. Retry later.", 409);
}
