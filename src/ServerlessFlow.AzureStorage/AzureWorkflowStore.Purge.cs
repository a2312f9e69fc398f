using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Purge: deleting a closed workflow's partition without ever touching a run started meanwhile. Only keys
/// listed while the instance row still had the ETag read first are deleted; the instance row goes last,
/// If-Match that ETag, together with the inbox rows (whose keys a new run could reuse). A start that wins the
/// race therefore fails the final transaction (412) and keeps everything it wrote.
/// </summary>
internal sealed partial class AzureWorkflowStore
{
    /// <summary>Listings per call: a 404 inside a transaction (a concurrent purge deleted a row first) re-lists; more than this and the call gives up with MoreToDo.</summary>
    private const int MaxPurgeListings = 3;

    /// <inheritdoc />
    /// <remarks>
    /// Requests: one point read, one listing of row keys and one more point read per listing, then one
    /// transaction per 100 rows. Rows are deleted in key order (activities, history, run rows); an
    /// interrupted purge leaves a closed workflow with part of its history, which the next call finishes.
    /// </remarks>
    public async Task<PurgeOutcome> PurgeAsync(string workflowId, string runId, int maxDeletes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDeletes, AzureLimits.MaxOperationsPerBatch);
        var partitionKey = KeyEscaping.PartitionKey(workflowId);
        var instance = await ReadRowAsync(partitionKey, RowKeys.Instance, cancellationToken);
        if (instance is null)
        {
            return PurgeOutcome.NotFound;
        }

        // Checked before the status: the run asked about is gone, whatever the state of the one that replaced it.
        if (!string.Equals(instance.GetString(InstanceRows.RunIdColumn), runId, StringComparison.Ordinal))
        {
            return PurgeOutcome.RunChanged;
        }

        if (instance.GetString(InstanceRows.StatusColumn) is nameof(WorkflowStatus.Running) or nameof(WorkflowStatus.ContinuedAsNew))
        {
            return PurgeOutcome.NotClosed;
        }

        var purge = new PartitionPurge(table, partitionKey, instance.ETag, maxDeletes, $"Purging workflow '{workflowId}'");
        for (var listing = 1; listing <= MaxPurgeListings; listing++)
        {
            var keys = await purge.ListAsync(cancellationToken);
            var current = await ReadRowAsync(partitionKey, RowKeys.Instance, cancellationToken);
            if (current is null)
            {
                return PurgeOutcome.Purged; // A concurrent purge finished the job.
            }

            if (current.ETag != purge.ETag)
            {
                return PurgeOutcome.RunChanged; // The listing may hold rows of a run started meanwhile.
            }

            if (await purge.DeleteAsync(keys, cancellationToken) is { } outcome)
            {
                return outcome;
            }
        }

        return PurgeOutcome.MoreToDo;
    }

    /// <summary>The state of one <see cref="PurgeAsync"/> call: the fence and the row budget left.</summary>
    private sealed class PartitionPurge(TableClient table, string partitionKey, ETag etag, int budget, string operation)
    {
        private static readonly string[] RowKeyOnly = ["RowKey"];

        /// <summary>The instance row's ETag this call holds: the one read first, or the one our own fence touch left.</summary>
        public ETag ETag { get; private set; } = etag;

        /// <summary>
        /// Every row key of the partition but the instance row's, in key order, split into inbox rows and the
        /// rest. Stops once the rest exceeds the budget: this call cannot reach the final transaction then.
        /// </summary>
        public Task<PurgeKeys> ListAsync(CancellationToken cancellationToken) =>
            StorageErrors.Run($"{operation}: listing its rows", async () =>
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ne {RowKeys.Instance}");
                var keys = new PurgeKeys();
                await foreach (var row in table.QueryAsync<TableEntity>(filter, select: RowKeyOnly, cancellationToken: cancellationToken))
                {
                    var inbox = string.CompareOrdinal(row.RowKey, RowKeys.InboxStart) >= 0 && string.CompareOrdinal(row.RowKey, RowKeys.InboxEnd) < 0;
                    (inbox ? keys.Inbox : keys.Other).Add(row.RowKey);
                    if (keys.Other.Count > budget)
                    {
                        break;
                    }
                }

                return keys;
            }, cancellationToken);

        /// <summary>
        /// Deletes the listed rows within the budget. Returns the outcome, or null when a row had already gone
        /// (a concurrent purge deleted it): the caller lists again.
        /// </summary>
        public Task<PurgeOutcome?> DeleteAsync(PurgeKeys keys, CancellationToken cancellationToken) =>
            StorageErrors.Run(operation, async () =>
            {
                foreach (var chunk in keys.Other.Chunk(AzureLimits.MaxOperationsPerBatch))
                {
                    var size = Math.Min(chunk.Length, budget);
                    if (size == 0)
                    {
                        return PurgeOutcome.MoreToDo;
                    }

                    if (await SubmitAsync(chunk.Take(size).Select(Delete), fenced: false, cancellationToken) is not Submitted.Applied)
                    {
                        return null;
                    }

                    budget -= size;
                }

                // Inbox rows beyond what the final transaction holds go first, each batch fenced by a touch of the instance row.
                var inboxChunks = keys.Inbox.Chunk(AzureLimits.MaxOperationsPerBatch - 1).ToList();
                for (var i = 0; i < inboxChunks.Count - 1; i++)
                {
                    if (inboxChunks[i].Length > budget)
                    {
                        return PurgeOutcome.MoreToDo;
                    }

                    var touch = new TableEntity(partitionKey, RowKeys.Instance) { [InstanceRows.WriteIdColumn] = TableRows.NewWriteId() };
                    var actions = inboxChunks[i].Select(Delete).Prepend(new TableTransactionAction(TableTransactionActionType.UpdateMerge, touch, ETag));
                    var touched = await SubmitAsync(actions, fenced: true, cancellationToken);
                    if (touched is not Submitted.Applied)
                    {
                        return Outcome(touched);
                    }

                    budget -= inboxChunks[i].Length;
                }

                var last = inboxChunks.Count > 0 ? inboxChunks[^1] : [];
                if (last.Length + 1 > budget)
                {
                    return PurgeOutcome.MoreToDo;
                }

                var final = last.Select(Delete).Prepend(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, RowKeys.Instance), ETag));
                var submitted = await SubmitAsync(final, fenced: true, cancellationToken);
                return submitted is Submitted.Applied ? PurgeOutcome.Purged : Outcome(submitted);
            }, cancellationToken);

        private static PurgeOutcome? Outcome(Submitted submitted) => submitted switch
        {
            Submitted.FenceChanged => PurgeOutcome.RunChanged,
            Submitted.FenceGone => PurgeOutcome.Purged,
            _ => null,
        };

        /// <summary>
        /// Submits one transaction. The fence (operation 0 of a fenced transaction) failing means a run started
        /// (412) or another purge finished (404); any other missing row was deleted by a concurrent purge.
        /// </summary>
        private async Task<Submitted> SubmitAsync(IEnumerable<TableTransactionAction> actions, bool fenced, CancellationToken cancellationToken)
        {
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken);
                if (fenced && response.Value[0].Headers.ETag is { } next)
                {
                    ETag = next;
                }

                return Submitted.Applied;
            }
            catch (RequestFailedException e) when (fenced && StorageErrors.IsPreconditionFailed(e))
            {
                return Submitted.FenceChanged;
            }
            catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
            {
                return fenced && (e as TableTransactionFailedException)?.FailedTransactionActionIndex == 0 ? Submitted.FenceGone : Submitted.RowGone;
            }
        }

        private TableTransactionAction Delete(string rowKey) =>
            new(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ETag.All);
    }

    /// <summary>How a purge transaction ended.</summary>
    private enum Submitted
    {
        /// <summary>Every row was deleted.</summary>
        Applied,

        /// <summary>The instance row changed: a run started.</summary>
        FenceChanged,

        /// <summary>The instance row is gone: another purge finished.</summary>
        FenceGone,

        /// <summary>Another row is gone: another purge is under way.</summary>
        RowGone,
    }

    /// <summary>The row keys of a partition that a purge deletes, in key order.</summary>
    private sealed class PurgeKeys
    {
        /// <summary>Inbox rows (main and continuation): deleted with the instance row.</summary>
        public List<string> Inbox { get; } = [];

        /// <summary>Every other row: history, activity, run and continuation rows.</summary>
        public List<string> Other { get; } = [];
    }
}
