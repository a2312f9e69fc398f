using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.AzureStorage;

/// <summary>Activity rows: read by workers, replaced ETag-guarded per attempt, closed together with the outcome's inbox row.</summary>
internal sealed partial class AzureWorkflowStore
{
    /// <inheritdoc />
    public async Task<ActivityTaskRecord?> ReadActivityAsync(string workflowId, string runId, long scheduledEventId, CancellationToken cancellationToken)
    {
        var row = await ReadRowAsync(KeyEscaping.PartitionKey(workflowId), RowKeys.Activity(runId, scheduledEventId), cancellationToken);
        return row is null ? null : await WithInputAsync(row, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ActivityTaskRecord>> ReadActivitiesAsync(string workflowId, string runId, CancellationToken cancellationToken) =>
        ReadActivityRowsAsync(workflowId, RowKeys.ActivitiesStart(runId), RowKeys.ActivitiesEnd(runId), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ActivityTaskRecord>> ReadActivitiesAsync(string workflowId, string runId, long first, long last, CancellationToken cancellationToken) =>
        ReadActivityRowsAsync(workflowId, RowKeys.Activity(runId, first), RowKeys.Activity(runId, last + 1), cancellationToken);

    /// <summary>The activity rows with row keys in [<paramref name="fromKey"/>, <paramref name="toKey"/>), in order.</summary>
    private async Task<IReadOnlyList<ActivityTaskRecord>> ReadActivityRowsAsync(string workflowId, string fromKey, string toKey, CancellationToken cancellationToken)
    {
        var partitionKey = KeyEscaping.PartitionKey(workflowId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {fromKey} and RowKey lt {toKey}");
        var rows = await StorageErrors.Run($"Reading the activities of workflow '{workflowId}'", async () =>
        {
            var found = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                found.Add(row);
            }

            return found;
        }, cancellationToken);
        var records = new List<ActivityTaskRecord>(rows.Count);
        foreach (var row in rows.OrderBy(r => r.RowKey, StringComparer.Ordinal))
        {
            if (await WithInputAsync(row, cancellationToken) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    /// <inheritdoc />
    public async Task<ActivityTaskRecord?> UpdateActivityAsync(ActivityTaskRecord activity, CancellationToken cancellationToken)
    {
        var (partitionKey, etag) = ActivityKeys(activity);
        var writeId = TableRows.NewWriteId();
        var row = ActivityRows.ToEntity(partitionKey, activity, writeId, stored);
        return await StorageErrors.Run($"Updating activity {activity.ScheduledEventId} of workflow '{activity.WorkflowId}'", async () =>
        {
            try
            {
                var response = await table.UpdateEntityAsync(row, etag, TableUpdateMode.Replace, cancellationToken);
                return activity with { ETag = response.Headers.ETag?.ToString() };
            }
            catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
            {
                // Changed or gone — or our own replace, re-sent by the SDK after it was applied.
                return await ResolveActivityUpdateAsync(activity, row.RowKey, writeId, ambiguous: false, cancellationToken);
            }
            catch (Exception e) when (StorageErrors.IsTransport(e, cancellationToken))
            {
                return await ResolveActivityUpdateAsync(activity, row.RowKey, writeId, ambiguous: true, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> CloseActivityAsync(ActivityTaskRecord activity, InboxItem outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var (partitionKey, etag) = ActivityKeys(activity);
        var writeId = TableRows.NewWriteId();
        var activityRow = ActivityRows.ToEntity(partitionKey, activity, writeId, stored);
        var inboxRows = InboxRows.Build(partitionKey, outcome, writeId, stored);
        var touch = InboxSequenceRow.Touch(partitionKey, writeId);
        EnsureFitsOneTransaction([activityRow, .. inboxRows, (TableEntity)touch.Entity], $"Closing activity {activity.ScheduledEventId} of workflow '{activity.WorkflowId}'");

        // The activity replace goes first, so a changed row is what the transaction reports.
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, activityRow, etag) };
        actions.AddRange(inboxRows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)));
        actions.Add(touch);
        return await StorageErrors.Run($"Closing activity {activity.ScheduledEventId} of workflow '{activity.WorkflowId}'", async () =>
        {
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
            {
                // Changed, gone, or the outcome exists — or our own transaction, re-sent after it was applied.
                return await ResolveInboxInsertAsync(partitionKey, inboxRows[0].RowKey, writeId, ambiguous: false, cancellationToken) && Remember(partitionKey, inboxRows);
            }
            catch (Exception e) when (StorageErrors.IsTransport(e, cancellationToken))
            {
                return await ResolveActivityCloseAsync(partitionKey, activityRow.RowKey, etag, inboxRows, writeId, cancellationToken);
            }

            return Remember(partitionKey, inboxRows);
        }, cancellationToken);
    }

    private static (string PartitionKey, ETag ETag) ActivityKeys(ActivityTaskRecord activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.ETag is { } etag
            ? (KeyEscaping.PartitionKey(activity.WorkflowId), new ETag(etag))
            : throw new ArgumentException($"Activity {activity.ScheduledEventId} of workflow '{activity.WorkflowId}' has no ETag: pass the record as read from the store.", nameof(activity));
    }

    /// <summary>
    /// The record of an activity row, with its input taken from history when the row does not carry it; null for a row whose
    /// event is not an ActivityScheduled: a leftover of a commit that wrote the row with its overflow and then lost its race,
    /// whose event ID the winner used for another event (the winner clears leftovers only when it has overflow of its own).
    /// Nothing waits on such a row (the instance does not list it as pending), so it is not an activity; the purge removes it.
    /// </summary>
    private async Task<ActivityTaskRecord?> WithInputAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var record = ActivityRows.Read(row, stored);
        if (!ActivityRows.NeedsInputFromHistory(row))
        {
            return record;
        }

        return await ReadEventAsync(record.WorkflowId, record.RunId, record.ScheduledEventId, cancellationToken) is ActivityScheduled scheduled
            ? record with { Input = scheduled.Input }
            : null;
    }

    private async Task<ActivityTaskRecord?> ResolveActivityUpdateAsync(
        ActivityTaskRecord activity, string rowKey, string writeId, bool ambiguous, CancellationToken cancellationToken)
    {
        var row = await ReadRowAsync(KeyEscaping.PartitionKey(activity.WorkflowId), rowKey, cancellationToken);
        if (row is not null && string.Equals(row.GetString(ActivityRows.WriteIdColumn), writeId, StringComparison.Ordinal))
        {
            return activity with { ETag = row.ETag.ToString() };
        }

        if (ambiguous && row is not null && string.Equals(row.ETag.ToString(), activity.ETag, StringComparison.Ordinal))
        {
            throw new StoreException($"Updating activity row '{rowKey}' failed: storage did not answer and the row is unchanged.", 0);
        }

        return null;
    }

    private async Task<bool> ResolveActivityCloseAsync(
        string partitionKey, string activityRowKey, ETag etag, List<TableEntity> inboxRows, string writeId, CancellationToken cancellationToken)
    {
        var inbox = await ReadRowAsync(partitionKey, inboxRows[0].RowKey, cancellationToken);
        if (inbox is not null)
        {
            return string.Equals(inbox.GetString(InboxRows.WriteIdColumn), writeId, StringComparison.Ordinal) && Remember(partitionKey, inboxRows);
        }

        var activity = await ReadRowAsync(partitionKey, activityRowKey, cancellationToken);
        return activity is not null && activity.ETag == etag
            ? throw new StoreException($"Closing activity row '{activityRowKey}' failed: storage did not answer and nothing was written.", 0)
            : false;
    }
}
