using Azure.Data.Tables;
using ServerlessFlow.History;

namespace ServerlessFlow.AzureStorage;

/// <summary>History rows: one event per main row (its JSON as the polymorphic <see cref="HistoryEvent"/>), plus continuation rows for big events.</summary>
internal static class HistoryRows
{
    /// <summary>The commit that wrote the row (diagnostics: tells a committed row from leftovers above the committed last event).</summary>
    public const string CommitIdColumn = "CommitId";

    /// <summary>The main row and continuation rows of <paramref name="historyEvent"/>.</summary>
    public static List<TableEntity> Build(string partitionKey, string runId, HistoryEvent historyEvent, string commitId, StoredJson stored)
    {
        var rows = PayloadRows.Build(partitionKey, RowKeys.History(runId, historyEvent.EventId), stored.Serialize(historyEvent));
        rows[0][CommitIdColumn] = commitId;
        return rows;
    }

    /// <summary>Reads the event of a main row.</summary>
    public static HistoryEvent Read(TableEntity main, Func<string, TableEntity?> findRow, StoredJson stored) =>
        stored.Deserialize<HistoryEvent>(PayloadRows.Read(main, findRow), main.RowKey);
}

/// <summary>The run row: a run's committed last event, written by every commit of that run.</summary>
internal static class RunRows
{
    /// <summary>The committed last event of the run.</summary>
    public const string LastEventIdColumn = "LastEventId";

    /// <summary>Builds the run row.</summary>
    public static TableEntity ToEntity(string partitionKey, string runId, long lastEventId, string commitId) =>
        new(partitionKey, RowKeys.Run(runId))
        {
            [LastEventIdColumn] = lastEventId,
            [HistoryRows.CommitIdColumn] = commitId,
        };
}
