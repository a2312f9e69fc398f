using System.Text.Json;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Activity rows: one row per scheduled activity, the <see cref="ActivityTaskRecord"/> as JSON. Workers
/// replace the row on every attempt, so a big input is not copied into it: above
/// <see cref="MaxInlineRecordBytes"/> the row stores the record without its input and a flag, and readers
/// take the input from the run's <c>ActivityScheduled</c> event (same ID, written by the same commit).
/// </summary>
internal static class ActivityRows
{
    /// <summary>Largest record JSON kept inline: bigger rows would be rewritten on every attempt and heartbeat.</summary>
    public const int MaxInlineRecordBytes = 64 * 1024;

    /// <summary>True when the input lives in the <c>ActivityScheduled</c> event.</summary>
    public const string InputInHistoryColumn = "InputInHistory";

    /// <summary>The unique ID of the write; tells our own re-sent update from someone else's.</summary>
    public const string WriteIdColumn = "WriteId";

    private static readonly JsonElement NoInput = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>Builds the row.</summary>
    public static TableEntity ToEntity(string partitionKey, ActivityTaskRecord activity, string writeId, StoredJson stored)
    {
        var record = activity with { ETag = null };
        var json = stored.Serialize(record);
        var inputInHistory = json.Length > MaxInlineRecordBytes;
        if (inputInHistory)
        {
            json = stored.Serialize(record with { Input = NoInput });
            if (json.Length > AzureLimits.MaxPayloadBytesPerRow)
            {
                throw new StoreException(
                    $"The activity row of '{activity.ActivityName}' (workflow '{activity.WorkflowId}', event {activity.ScheduledEventId}) would hold {json.Length} bytes " +
                    $"without its input; one row holds {AzureLimits.MaxPayloadBytesPerRow}. Its last failure details are too big.", 0, isTooLarge: true);
            }
        }

        var row = PayloadRows.Build(partitionKey, RowKeys.Activity(activity.RunId, activity.ScheduledEventId), json)[0];
        row["RunId"] = activity.RunId;
        row["ScheduledEventId"] = activity.ScheduledEventId;
        row["State"] = activity.State.ToString();
        row["Attempt"] = activity.Attempt;
        row[InputInHistoryColumn] = inputInHistory;
        row[WriteIdColumn] = writeId;
        return row;
    }

    /// <summary>Reads the record; when <see cref="NeedsInputFromHistory"/> its input is a JSON null to be replaced.</summary>
    public static ActivityTaskRecord Read(TableEntity row, StoredJson stored) =>
        stored.Deserialize<ActivityTaskRecord>(PayloadRows.Read(row, _ => null), row.RowKey) with { ETag = row.ETag.ToString() };

    /// <summary>True when the row's input must be read from the <c>ActivityScheduled</c> event.</summary>
    public static bool NeedsInputFromHistory(TableEntity row) => row.GetBoolean(InputInHistoryColumn) ?? false;
}
