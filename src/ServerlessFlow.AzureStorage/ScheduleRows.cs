using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// The row of a schedule in "{Prefix}schedules": PartitionKey the escaped schedule ID, RowKey <see cref="RowKey"/>.
/// The state JSON is stored as UTF-8 in payload columns (<see cref="PayloadRows"/>, one row); beside it the
/// unescaped ID, <see cref="NextWakeAtColumn"/> for the due-schedules filter (absent when null) and the write ID.
/// </summary>
internal static class ScheduleRows
{
    /// <summary>The only RowKey of a schedule's partition.</summary>
    public const string RowKey = "s";

    /// <summary>Unescaped schedule ID.</summary>
    public const string ScheduleIdColumn = "ScheduleId";

    /// <summary>When the schedule next needs a pass (filter of the due-schedules query); absent when it needs none.</summary>
    public const string NextWakeAtColumn = "NextWakeAt";

    /// <summary>The unique ID of the write that last stored the row; resolves ambiguous writes.</summary>
    public const string WriteIdColumn = "WriteId";

    /// <summary>Builds the row <paramref name="record"/> is stored as.</summary>
    public static TableEntity ToEntity(string partitionKey, ScheduleRecord record, string writeId, StoredJson stored)
    {
        var state = stored.EncodeDocument(record.StateJson);
        if (state.Length > AzureLimits.MaxPayloadBytesPerRow)
        {
            throw new StoreException(
                $"The state of schedule '{record.ScheduleId}' is {state.Length} bytes of JSON (encoded, when a payload codec is configured); one row holds {AzureLimits.MaxPayloadBytesPerRow}. " +
                "Keep fewer buffered starts, backfills and recent actions in it.", 0, isTooLarge: true);
        }

        var row = PayloadRows.Build(partitionKey, RowKey, state)[0];
        row[ScheduleIdColumn] = record.ScheduleId;
        row[WriteIdColumn] = writeId;
        if (record.NextWakeAt is { } wake)
        {
            row[NextWakeAtColumn] = wake;
        }

        return row;
    }

    /// <summary>Reads the record back, with the row's ETag.</summary>
    public static ScheduleRecord FromEntity(TableEntity row, StoredJson stored) => new()
    {
        ScheduleId = row.GetString(ScheduleIdColumn) ?? KeyEscaping.Unescape(row.PartitionKey),
        StateJson = stored.DecodeDocument(PayloadRows.Read(row, _ => null), row.RowKey),
        NextWakeAt = row.GetDateTimeOffset(NextWakeAtColumn),
        ETag = row.ETag.ToString(),
    };
}
