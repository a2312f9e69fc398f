using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>Merges into the instance row that are not commits: clearing the outbox flag, recording a task failure.</summary>
internal sealed partial class AzureWorkflowStore
{
    /// <inheritdoc />
    public async Task<bool> ClearOutboxAsync(string workflowId, string etag, CancellationToken cancellationToken)
    {
        var partitionKey = KeyEscaping.PartitionKey(workflowId);
        var writeId = TableRows.NewWriteId();
        var patch = new TableEntity(partitionKey, RowKeys.Instance)
        {
            [InstanceRows.OutboxPendingColumn] = false,
            [InstanceRows.WriteIdColumn] = writeId,
        };
        return await StorageErrors.Run($"Clearing the outbox of workflow '{workflowId}'", async () =>
        {
            try
            {
                await table.UpdateEntityAsync(patch, new ETag(etag), TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
            {
                // Someone changed the row — or the SDK re-sent our merge after it had been applied.
                return await ResolveInstanceMergeAsync(partitionKey, writeId, etag, ambiguous: false, cancellationToken);
            }
            catch (Exception e) when (StorageErrors.IsTransport(e, cancellationToken))
            {
                return await ResolveInstanceMergeAsync(partitionKey, writeId, etag, ambiguous: true, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task RecordTaskFailureAsync(string workflowId, string etag, string failure, CancellationToken cancellationToken)
    {
        var partitionKey = KeyEscaping.PartitionKey(workflowId);
        var patch = new TableEntity(partitionKey, RowKeys.Instance)
        {
            [InstanceRows.LastTaskFailureColumn] = InstanceRows.Diagnostic(failure),
            [InstanceRows.WriteIdColumn] = TableRows.NewWriteId(),
        };
        return StorageErrors.Run($"Recording a task failure of workflow '{workflowId}'", async () =>
        {
            try
            {
                await table.UpdateEntityAsync(patch, new ETag(etag), TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
            {
                // The contract ignores conflicts: a newer commit supersedes the failure report.
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Decides whether a merge whose answer was a conflict or was lost is ours: true when the row carries our
    /// write ID; false when the row changed or is gone; when <paramref name="ambiguous"/> and the row is
    /// unchanged, the merge did not happen and that is a storage failure.
    /// </summary>
    private async Task<bool> ResolveInstanceMergeAsync(string partitionKey, string writeId, string etag, bool ambiguous, CancellationToken cancellationToken)
    {
        var row = await ReadRowAsync(partitionKey, RowKeys.Instance, cancellationToken);
        if (row is not null && string.Equals(row.GetString(InstanceRows.WriteIdColumn), writeId, StringComparison.Ordinal))
        {
            return true;
        }

        if (ambiguous && row is not null && string.Equals(row.ETag.ToString(), etag, StringComparison.Ordinal))
        {
            throw new StoreException($"Updating the instance row of partition '{partitionKey}' failed: storage did not answer and the row is unchanged.", 0);
        }

        return false;
    }
}
