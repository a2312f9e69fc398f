using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>Inbox rows: the whole <see cref="InboxItem"/> as JSON, split over continuation rows when its event carries a big payload.</summary>
internal static class InboxRows
{
    /// <summary>The unique ID of the write that inserted the row; tells our own re-sent insert from someone else's.</summary>
    public const string WriteIdColumn = "WriteId";

    /// <summary>The main row (first) and continuation rows of <paramref name="item"/>.</summary>
    public static List<TableEntity> Build(string partitionKey, InboxItem item, string writeId, StoredJson stored)
    {
        var rows = PayloadRows.Build(partitionKey, RowKeys.Inbox(item.Key), stored.Serialize(item));
        rows[0]["Key"] = item.Key;
        rows[0]["RunId"] = item.RunId;
        rows[0]["CreatedAt"] = item.CreatedAt;
        rows[0][WriteIdColumn] = writeId;
        return rows;
    }

    /// <summary>Reads the item of a main row.</summary>
    public static InboxItem Read(TableEntity main, Func<string, TableEntity?> findRow, StoredJson stored) =>
        stored.Deserialize<InboxItem>(PayloadRows.Read(main, findRow), main.RowKey);
}
