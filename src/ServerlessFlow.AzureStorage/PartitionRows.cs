using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.AzureStorage;

/// <summary>The rows one query returned from a workflow's partition, by RowKey, and the records they assemble into.</summary>
internal sealed class PartitionRows
{
    private readonly Dictionary<string, TableEntity> rows;
    private readonly StoredJson stored;

    private PartitionRows(Dictionary<string, TableEntity> rows, StoredJson stored)
    {
        this.rows = rows;
        this.stored = stored;
    }

    /// <summary>The instance row, if the query covered it and it exists.</summary>
    public TableEntity? Instance => Find(RowKeys.Instance);

    /// <summary>Runs <paramref name="filter"/> (built with <c>TableClient.CreateQueryFilter</c>) and collects every page.</summary>
    public static async Task<PartitionRows> QueryAsync(TableClient table, StoredJson stored, string filter, string operation, CancellationToken cancellationToken) =>
        await StorageErrors.Run(operation, async () =>
        {
            var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                rows[row.RowKey] = row;
            }

            return new PartitionRows(rows, stored);
        }, cancellationToken);

    /// <summary>The row with <paramref name="rowKey"/>, if returned.</summary>
    public TableEntity? Find(string rowKey) => rows.GetValueOrDefault(rowKey);

    /// <summary>
    /// The committed events of <paramref name="runId"/> with IDs in (<paramref name="after"/>, <paramref name="last"/>],
    /// in order. Rows above <paramref name="last"/> are not history (a commit that lost its race may have left
    /// them) and are ignored; a missing row below it means the history is damaged, which is reported.
    /// </summary>
    public IReadOnlyList<HistoryEvent> History(string workflowId, string runId, long after, long last)
    {
        var events = new List<HistoryEvent>((int)Math.Clamp(last - after, 0, 4096));
        for (var eventId = after + 1; eventId <= last; eventId++)
        {
            var main = Find(RowKeys.History(runId, eventId))
                ?? throw new StoreException($"History of workflow '{workflowId}' run '{runId}' has no event {eventId} although {last} events are committed.", 0);
            events.Add(HistoryRows.Read(main, Find, stored));
        }

        return events;
    }

    /// <summary>Every inbox item returned, oldest first.</summary>
    public IReadOnlyList<InboxItem> Inbox() =>
        InboxMainRows()
            .Select(row => InboxRows.Read(row, Find, stored))
            .OrderBy(item => item.CreatedAt)
            .ThenBy(item => item.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>Main inbox rows and their continuation row counts, for <see cref="InboxShapeCache"/>.</summary>
    public IEnumerable<(string RowKey, int ContinuationRows)> InboxShapes() =>
        rows.Keys
            .Where(key => key.StartsWith(RowKeys.InboxStart, StringComparison.Ordinal))
            .GroupBy(key => RowKeys.IsInboxMain(key) ? key : RowKeys.MainOf(key), StringComparer.Ordinal)
            .Select(group => (group.Key, group.Count() - 1));

    private IEnumerable<TableEntity> InboxMainRows() =>
        rows.Values.Where(row => RowKeys.IsInboxMain(row.RowKey));
}
