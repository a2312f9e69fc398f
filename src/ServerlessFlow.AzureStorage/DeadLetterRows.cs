using System.Text;
using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Rows of the dead-letter table: PartitionKey = the escaped logical queue name, RowKey = the escaped
/// message ID (so dead-lettering the same delivery twice is one row). The body is kept whole as UTF-8 in
/// payload columns: a queue message (64 KiB) fits one row.
/// </summary>
internal static class DeadLetterRows
{
    /// <summary>Builds the row of a dead-lettered message.</summary>
    public static TableEntity ToEntity(ReceivedMessage message, string reason, DateTimeOffset at)
    {
        var row = PayloadRows.Build(KeyEscaping.Escape(message.Queue), KeyEscaping.Escape(message.MessageId), Encoding.UTF8.GetBytes(message.Body))[0];
        row["Queue"] = message.Queue;
        row["MessageId"] = message.MessageId;
        row["Reason"] = InstanceRows.Diagnostic(reason);
        row["DequeueCount"] = message.DequeueCount;
        row["DeadLetteredAt"] = at;
        return row;
    }

    /// <summary>Reads a row back.</summary>
    public static DeadLetter FromEntity(TableEntity row) => new(
        row.GetString("Queue") ?? KeyEscaping.Unescape(row.PartitionKey),
        row.GetString("MessageId") ?? KeyEscaping.Unescape(row.RowKey),
        Encoding.UTF8.GetString(PayloadRows.Read(row, _ => null)),
        row.GetString("Reason") ?? "",
        row.GetInt64("DequeueCount") ?? 0,
        row.GetDateTimeOffset("DeadLetteredAt") ?? row.Timestamp ?? DateTimeOffset.MinValue);

    /// <summary>Upserts a row, creating the table when it does not exist yet.</summary>
    public static async Task WriteAsync(TableClient table, TableEntity row, CancellationToken cancellationToken) =>
        await StorageErrors.Run($"Writing dead letter '{row.RowKey}' to table '{table.Name}'", async () =>
        {
            try
            {
                await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
            {
                // A worker may dead-letter before anyone ran InitializeAsync on this account.
                await table.CreateIfNotExistsAsync(cancellationToken);
                await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
            }
        }, cancellationToken);
}
