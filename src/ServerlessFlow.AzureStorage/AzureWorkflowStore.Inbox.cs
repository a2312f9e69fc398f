using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>Inbox inserts: producers hand items to a workflow without touching its history (DESIGN §3.4).</summary>
internal sealed partial class AzureWorkflowStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The main row and its continuation rows are inserted in one transaction, so a duplicate insert (same
    /// key) fails whole and the existing item is never overwritten. Inbox items are therefore limited to what
    /// one transaction carries (about 2.9 MB of JSON), which covers Temporal's 2 MB payload limit. The same
    /// transaction touches the inbox sequence row (<see cref="InboxSequenceRow"/>), which a closing commit is fenced by:
    /// still one request.
    /// </remarks>
    public async Task<bool> AddInboxAsync(string workflowId, InboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var partitionKey = KeyEscaping.PartitionKey(workflowId);
        var writeId = TableRows.NewWriteId();
        var rows = InboxRows.Build(partitionKey, item, writeId, stored);
        var actions = rows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)).Append(InboxSequenceRow.Touch(partitionKey, writeId)).ToList();
        EnsureFitsOneTransaction(actions.Select(action => (TableEntity)action.Entity).ToList(), $"Inbox item '{item.Key}' of workflow '{workflowId}'");
        var rowKey = rows[0].RowKey;
        return await StorageErrors.Run($"Adding inbox item '{item.Key}' to workflow '{workflowId}'", async () =>
        {
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (RequestFailedException e) when (StorageErrors.IsConflict(e))
            {
                // The key exists: a duplicate — or our own insert, re-sent by the SDK after it was applied.
                return await ResolveInboxInsertAsync(partitionKey, rowKey, writeId, ambiguous: false, cancellationToken) && Remember(partitionKey, rows);
            }
            catch (Exception e) when (StorageErrors.IsTransport(e, cancellationToken))
            {
                return await ResolveInboxInsertAsync(partitionKey, rowKey, writeId, ambiguous: true, cancellationToken) && Remember(partitionKey, rows);
            }

            return Remember(partitionKey, rows);
        }, cancellationToken);
    }

    /// <summary>Throws <see cref="StoreException"/> (too large) unless <paramref name="rows"/> fit one entity-group transaction.</summary>
    private static void EnsureFitsOneTransaction(List<TableEntity> rows, string what)
    {
        var bytes = TableRows.EstimatedBatchBytes(rows);
        if (rows.Count > AzureLimits.MaxOperationsPerBatch || bytes > AzureLimits.MaxBatchBodyBytes)
        {
            throw new StoreException(
                $"{what} needs {rows.Count} rows and about {bytes} request bytes; one transaction carries {AzureLimits.MaxOperationsPerBatch} rows " +
                $"and {AzureLimits.MaxBatchBodyBytes} bytes. Keep payloads under 2 MB.", 0, isTooLarge: true);
        }
    }

    /// <summary>
    /// After a conflict or a lost answer: true when the inbox row is ours, false when it is someone else's;
    /// when the answer was lost and there is no row, the insert did not happen and that is a storage failure.
    /// </summary>
    private async Task<bool> ResolveInboxInsertAsync(string partitionKey, string rowKey, string writeId, bool ambiguous, CancellationToken cancellationToken)
    {
        var row = await ReadRowAsync(partitionKey, rowKey, cancellationToken);
        if (row is null && ambiguous)
        {
            throw new StoreException($"Inserting inbox row '{rowKey}' of partition '{partitionKey}' failed: storage did not answer and the row is not there.", 0);
        }

        return row is not null && string.Equals(row.GetString(InboxRows.WriteIdColumn), writeId, StringComparison.Ordinal);
    }

    /// <summary>Records the shape of inbox rows this process wrote; returns true for use in expressions.</summary>
    private bool Remember(string partitionKey, List<TableEntity> inboxRows)
    {
        inboxShapes.Record(partitionKey, inboxRows[0].RowKey, inboxRows.Count - 1);
        return true;
    }
}
