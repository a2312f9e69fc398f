using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// <see cref="IWorkflowStore"/> on one Azure table. Each workflow ID is one partition (PartitionKey = the ID
/// escaped by <see cref="KeyEscaping"/>) holding its instance row, history, inbox, activity and run rows
/// (<see cref="RowKeys"/>), so that every commit is one entity-group transaction fenced by the instance row.
/// This file holds the reads; writes are in the other parts of the class and in <see cref="CommitWriter"/>.
/// </summary>
internal sealed partial class AzureWorkflowStore : IWorkflowStore
{
    private readonly TableClient table;
    private readonly TableClient deadLetterTable;
    private readonly InboxShapeCache inboxShapes = new();
    private readonly CommitWriter commits;
    private readonly StoredJson stored;

    /// <summary>Creates the store on <paramref name="table"/>; <see cref="InitializeAsync"/> also creates <paramref name="deadLetterTable"/>.</summary>
    public AzureWorkflowStore(TableClient table, TableClient deadLetterTable, StoredJson stored)
    {
        this.table = table;
        this.deadLetterTable = deadLetterTable;
        this.stored = stored;
        commits = new CommitWriter(table, inboxShapes, stored);
    }

    /// <inheritdoc />
    /// <remarks>Creates the workflow table and the dead-letter table (whose rows <see cref="AzureTaskQueues"/> writes).</remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        foreach (var client in new[] { table, deadLetterTable })
        {
            await StorageErrors.Run($"Creating table '{client.Name}'", () => client.CreateIfNotExistsAsync(cancellationToken), cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task<InstanceRecord?> CommitAsync(WorkflowCommit commit, CancellationToken cancellationToken) =>
        commits.CommitAsync(commit, cancellationToken);

    /// <inheritdoc />
    public void CheckWorkflowId(string workflowId) => KeyEscaping.PartitionKey(workflowId);

    /// <inheritdoc />
    public async Task<InstanceRecord?> ReadInstanceAsync(string workflowId, CancellationToken cancellationToken)
    {
        var row = await ReadRowAsync(KeyEscaping.PartitionKey(workflowId), RowKeys.Instance, cancellationToken);
        return row is null ? null : InstanceRows.FromEntity(row, stored);
    }

    /// <inheritdoc />
    /// <remarks>
    /// With a <paramref name="runId"/>: ONE query (instance, inbox with its sequence row, and that run's history after N, ORed
    /// RowKey ranges); a second only when the run is no longer current. Without one the current run is
    /// unknown, so the instance and inbox come first and the history second: one query over every run's
    /// history would read all earlier runs of a workflow that continued as new.
    /// </remarks>
    public async Task<WorkflowSnapshot?> LoadAsync(string workflowId, string? runId, long historyAfter, CancellationToken cancellationToken)
    {
        var partitionKey = KeyEscaping.PartitionKey(workflowId);
        var after = Math.Max(0, historyAfter);
        var filter = runId is null
            ? TableClient.CreateQueryFilter(
                $"PartitionKey eq {partitionKey} and (RowKey eq {RowKeys.Instance} or RowKey eq {RowKeys.InboxSequence} or (RowKey ge {RowKeys.InboxStart} and RowKey lt {RowKeys.InboxEnd}))")
            : TableClient.CreateQueryFilter(
                $"PartitionKey eq {partitionKey} and (RowKey eq {RowKeys.Instance} or RowKey eq {RowKeys.InboxSequence} or (RowKey ge {RowKeys.InboxStart} and RowKey lt {RowKeys.InboxEnd}) or (RowKey gt {RowKeys.HistoryAfter(runId, after)} and RowKey lt {RowKeys.HistoryEnd(runId)}))");
        var rows = await PartitionRows.QueryAsync(table, stored, filter, $"Loading workflow '{workflowId}'", cancellationToken);
        if (rows.Instance is not { } instanceRow)
        {
            return null;
        }

        var instance = InstanceRows.FromEntity(instanceRow, stored) with { InboxETag = InboxSequenceRow.TokenOf(rows.Find(RowKeys.InboxSequence)) };
        IReadOnlyList<HistoryEvent> history;
        if (string.Equals(runId, instance.RunId, StringComparison.Ordinal))
        {
            history = rows.History(workflowId, instance.RunId, after, instance.LastEventId);
        }
        else
        {
            after = 0;
            history = await ReadCommittedHistoryAsync(workflowId, partitionKey, instance.RunId, 0, instance.LastEventId, cancellationToken);
        }

        foreach (var (rowKey, continuationRows) in rows.InboxShapes())
        {
            inboxShapes.Record(partitionKey, rowKey, continuationRows);
        }

        return new WorkflowSnapshot { Instance = instance, Inbox = rows.Inbox(), History = history, HistoryAfter = after };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string workflowId, string runId, long afterEventId, CancellationToken cancellationToken)
    {
        var partitionKey = KeyEscaping.PartitionKey(workflowId);
        var after = Math.Max(0, afterEventId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and (RowKey eq {RowKeys.Instance} or RowKey eq {RowKeys.Run(runId)} or (RowKey gt {RowKeys.HistoryAfter(runId, after)} and RowKey lt {RowKeys.HistoryEnd(runId)}))");
        var rows = await PartitionRows.QueryAsync(table, stored, filter, $"Reading history of workflow '{workflowId}'", cancellationToken);
        return rows.History(workflowId, runId, after, CommittedLastEventId(rows, runId));
    }

    /// <inheritdoc />
    /// <remarks>
    /// A point read of the event's main row, not a query: Azurite scans the whole table for a query, and the fence is the caller's.
    /// Continuation rows (a big event) are read, by point reads too, only when the main row says there are some.
    /// </remarks>
    public async Task<HistoryEvent?> ReadEventAsync(string workflowId, string runId, long eventId, CancellationToken cancellationToken)
    {
        if (eventId < 1)
        {
            return null;
        }

        var partitionKey = KeyEscaping.PartitionKey(workflowId);
        if (await ReadRowAsync(partitionKey, RowKeys.History(runId, eventId), cancellationToken) is not { } main)
        {
            return null;
        }

        var continuationKeys = PayloadRows.ContinuationKeys(main);
        var continuations = await Task.WhenAll(continuationKeys.Select(key => ReadRowAsync(partitionKey, key, cancellationToken)));
        var found = continuations.OfType<TableEntity>().ToDictionary(row => row.RowKey, StringComparer.Ordinal);
        return HistoryRows.Read(main, found.GetValueOrDefault, stored);
    }

    /// <summary>Point read; null when the row does not exist.</summary>
    private Task<TableEntity?> ReadRowAsync(string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        TableRows.ReadAsync(table, partitionKey, rowKey, cancellationToken);

    /// <summary>The committed events of a run between two known bounds (one query).</summary>
    private async Task<IReadOnlyList<HistoryEvent>> ReadCommittedHistoryAsync(
        string workflowId, string partitionKey, string runId, long after, long last, CancellationToken cancellationToken)
    {
        if (last <= after)
        {
            return [];
        }

        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey gt {RowKeys.HistoryAfter(runId, after)} and RowKey lt {RowKeys.HistoryAfter(runId, last)}");
        var rows = await PartitionRows.QueryAsync(table, stored, filter, $"Reading history of workflow '{workflowId}'", cancellationToken);
        return rows.History(workflowId, runId, after, last);
    }

    /// <summary>
    /// The last committed event of a run: the instance row's for the current run, the run row's for an
    /// earlier one, 0 for a run that never committed. Rows above it are leftovers, not history.
    /// </summary>
    private static long CommittedLastEventId(PartitionRows rows, string runId)
    {
        if (rows.Instance is { } instance && string.Equals(instance.GetString(InstanceRows.RunIdColumn), runId, StringComparison.Ordinal))
        {
            return instance.GetInt64(InstanceRows.LastEventIdColumn) ?? 0;
        }

        return rows.Find(RowKeys.Run(runId))?.GetInt64(RunRows.LastEventIdColumn) ?? 0;
    }
}
