using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Writes a commit's overflow rows — history and new activity rows (see <see cref="CommitPlan"/>) — before its final transaction.
/// <para>
/// The rows go in with Add, so they can never overwrite a committed event. An Add that finds a row already
/// there (409) meets rows above the committed last event: left by an attempt that lost its race, written
/// by a competitor still in flight, or our own, re-sent by the SDK after it had been applied. All of them
/// are deleted, in transactions fenced by the instance row together with a merge that changes its ETag:
/// so the deletes happen only while the instance is as this commit expects, and a competitor whose rows
/// were deleted can no longer pass the fence with a hole in its history. Then the rows are written again.
/// </para>
/// </summary>
internal sealed class OverflowHistoryWriter(TableClient table)
{
    /// <summary>Rounds of "write, find leftovers, clear" before the commit gives up as a lost race (competing big commits).</summary>
    private const int MaxRounds = 3;

    private static readonly string[] RowKeyOnly = ["RowKey"];

    /// <summary>
    /// Writes the overflow rows of <paramref name="plan"/>. Returns the ETag the final transaction must be
    /// fenced on (clearing leftovers changes it), or null when the instance changed: the commit lost.
    /// </summary>
    public async Task<string?> WriteAsync(string partitionKey, string runId, long firstNewEventId, CommitPlan plan, string etag, CancellationToken cancellationToken)
    {
        for (var round = 1; round <= MaxRounds; round++)
        {
            try
            {
                foreach (var batch in plan.Overflow)
                {
                    await table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), cancellationToken);
                }

                return etag;
            }
            catch (RequestFailedException e) when (StorageErrors.IsConflict(e))
            {
                if (await ClearAboveAsync(partitionKey, runId, firstNewEventId, etag, cancellationToken) is not { } cleared)
                {
                    return null;
                }

                etag = cleared;
            }
        }

        return null;
    }

    /// <summary>
    /// Deletes every history row and activity row of the run from <paramref name="firstEventId"/> on, fenced on <paramref name="etag"/>;
    /// returns the new ETag, or null when the fence failed.
    /// </summary>
    private async Task<string?> ClearAboveAsync(string partitionKey, string runId, long firstEventId, string etag, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and ((RowKey ge {RowKeys.History(runId, firstEventId)} and RowKey lt {RowKeys.HistoryEnd(runId)}) or (RowKey ge {RowKeys.Activity(runId, firstEventId)} and RowKey lt {RowKeys.ActivitiesEnd(runId)}))");
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: RowKeyOnly, cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }

        // Even with nothing to delete the fence is touched: it stops a competitor that is between its overflow and its final transaction.
        List<string[]> chunks = keys.Count == 0 ? [[]] : keys.Chunk(AzureLimits.MaxOperationsPerBatch - 1).ToList();
        foreach (var chunk in chunks)
        {
            var touch = new TableEntity(partitionKey, RowKeys.Instance) { [InstanceRows.WriteIdColumn] = TableRows.NewWriteId() };
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, touch, new ETag(etag)) };
            actions.AddRange(chunk.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, key), ETag.All)));
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken);
                etag = response.Value[0].Headers.ETag?.ToString() ?? throw new StoreException($"Table storage returned no ETag for the instance row of partition '{partitionKey}'.", 0);
            }
            catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
            {
                // The instance changed (a commit landed) or a competitor cleared the same rows (and changed it too).
                return null;
            }
        }

        return etag;
    }
}
