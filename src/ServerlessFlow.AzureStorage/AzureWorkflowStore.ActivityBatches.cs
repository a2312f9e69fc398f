using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Activity rows of a batch (a fan-out's activities dispatched together): claimed and closed many per entity-group transaction
/// instead of one request each. A transaction that meets a changed row writes nothing, and its rows are left out of the answer
/// for the caller to handle one by one.
/// </summary>
internal sealed partial class AzureWorkflowStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ActivityTaskRecord>> UpdateActivitiesAsync(IReadOnlyList<ActivityTaskRecord> activities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var written = new List<ActivityTaskRecord>(activities.Count);
        foreach (var group in Groups(activities, activity => [ActivityRows.ToEntity(KeyEscaping.PartitionKey(activity.WorkflowId), activity, string.Empty, stored)]))
        {
            written.AddRange(await UpdateGroupAsync(group, cancellationToken));
        }

        return written;
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<long>> CloseActivitiesAsync(IReadOnlyList<(ActivityTaskRecord Activity, InboxItem Outcome)> closes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(closes);
        var closed = new HashSet<long>();
        var groups = Groups(closes, close =>
        {
            var partitionKey = KeyEscaping.PartitionKey(close.Activity.WorkflowId);
            return [ActivityRows.ToEntity(partitionKey, close.Activity, string.Empty, stored), .. InboxRows.Build(partitionKey, close.Outcome, string.Empty, stored)];
        }, reserve: 1);
        foreach (var group in groups)
        {
            if (await CloseGroupAsync(group, cancellationToken))
            {
                closed.UnionWith(group.Select(close => close.Activity.ScheduledEventId));
            }
        }

        return closed;
    }

    /// <summary>Splits items into groups whose rows fit one transaction (with <paramref name="reserve"/> operations to spare); an item too large for any goes alone.</summary>
    private static List<List<T>> Groups<T>(IReadOnlyList<T> items, Func<T, List<TableEntity>> rowsOf, int reserve = 0)
    {
        var groups = new List<List<T>>();
        var current = new List<T>();
        var (operations, bytes) = (reserve, 0L);
        foreach (var item in items)
        {
            var rows = rowsOf(item);
            var itemBytes = TableRows.EstimatedBatchBytes(rows);
            if (current.Count > 0 && (operations + rows.Count > AzureLimits.MaxOperationsPerBatch || bytes + itemBytes > AzureLimits.MaxBatchBodyBytes))
            {
                groups.Add(current);
                (current, operations, bytes) = ([], reserve, 0L);
            }

            current.Add(item);
            operations += rows.Count;
            bytes += itemBytes;
        }

        if (current.Count > 0)
        {
            groups.Add(current);
        }

        return groups;
    }

    private async Task<IReadOnlyList<ActivityTaskRecord>> UpdateGroupAsync(List<ActivityTaskRecord> group, CancellationToken cancellationToken)
    {
        var writeId = TableRows.NewWriteId();
        var actions = group.Select(activity =>
        {
            var (partitionKey, etag) = ActivityKeys(activity);
            return new TableTransactionAction(TableTransactionActionType.UpdateReplace, ActivityRows.ToEntity(partitionKey, activity, writeId, stored), etag);
        }).ToList();
        var what = $"Updating activities {group[0].ScheduledEventId}–{group[^1].ScheduledEventId} of workflow '{group[0].WorkflowId}'";
        return await StorageErrors.Run(what, async () =>
        {
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken);
                return group.Select((activity, i) => activity with { ETag = response.Value[i].Headers.ETag?.ToString() }).ToList();
            }
            catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
            {
                // A row changed or is gone — or our own transaction, re-sent by the SDK after it was applied.
                return await ResolveGroupUpdateAsync(group, actions, writeId, cancellationToken);
            }
            catch (Exception e) when (StorageErrors.IsTransport(e, cancellationToken))
            {
                return await ResolveGroupUpdateAsync(group, actions, writeId, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>After a conflict or a lost answer: the transaction is atomic, so either every row carries its write ID (read back for the ETags) or none was written.</summary>
    private async Task<IReadOnlyList<ActivityTaskRecord>> ResolveGroupUpdateAsync(
        List<ActivityTaskRecord> group, List<TableTransactionAction> actions, string writeId, CancellationToken cancellationToken)
    {
        var result = new List<ActivityTaskRecord>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            var row = await ReadRowAsync(actions[i].Entity.PartitionKey, actions[i].Entity.RowKey, cancellationToken);
            if (row is null || !string.Equals(row.GetString(ActivityRows.WriteIdColumn), writeId, StringComparison.Ordinal))
            {
                return [];
            }

            result.Add(group[i] with { ETag = row.ETag.ToString() });
        }

        return result;
    }

    private async Task<bool> CloseGroupAsync(List<(ActivityTaskRecord Activity, InboxItem Outcome)> group, CancellationToken cancellationToken)
    {
        var partitionKey = KeyEscaping.PartitionKey(group[0].Activity.WorkflowId);
        var writeId = TableRows.NewWriteId();
        var actions = new List<TableTransactionAction>();
        var inboxRowsOf = new List<List<TableEntity>>(group.Count);
        foreach (var (activity, outcome) in group)
        {
            var (_, etag) = ActivityKeys(activity);
            actions.Add(new(TableTransactionActionType.UpdateReplace, ActivityRows.ToEntity(partitionKey, activity, writeId, stored), etag));
            var inboxRows = InboxRows.Build(partitionKey, outcome, writeId, stored);
            actions.AddRange(inboxRows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)));
            inboxRowsOf.Add(inboxRows);
        }

        actions.Add(InboxSequenceRow.Touch(partitionKey, writeId));
        var what = $"Closing activities {group[0].Activity.ScheduledEventId}–{group[^1].Activity.ScheduledEventId} of workflow '{group[0].Activity.WorkflowId}'";
        var written = await StorageErrors.Run(what, async () =>
        {
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                return true;
            }
            catch (Exception e) when ((e is RequestFailedException failed && StorageErrors.IsConcurrencyConflict(failed)) || StorageErrors.IsTransport(e, cancellationToken))
            {
                // A row changed, is gone, or an outcome exists — or our own transaction was applied and its answer lost or re-sent:
                // atomic, so the first outcome's inbox row tells which.
                var first = await ReadRowAsync(partitionKey, inboxRowsOf[0][0].RowKey, cancellationToken);
                return first is not null && string.Equals(first.GetString(InboxRows.WriteIdColumn), writeId, StringComparison.Ordinal);
            }
        }, cancellationToken);
        if (written)
        {
            inboxRowsOf.ForEach(rows => Remember(partitionKey, rows));
        }

        return written;
    }
}
