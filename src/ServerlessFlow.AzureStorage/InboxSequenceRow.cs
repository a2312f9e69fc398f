using Azure;
using Azure.Data.Tables;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// The inbox sequence row (<see cref="RowKeys.InboxSequence"/>): every inbox insert touches it in the insert's own transaction, so its
/// ETag changes with every item added, and the load's partition query returns it beside the inbox. Its ETag is the inbox token
/// (<see cref="Engine.Backend.InstanceRecord.InboxETag"/>). A commit that closes a run conditions it on the token its task saw, so
/// that a signal accepted meanwhile fails the close instead of being deleted with the closed run's inbox; no other commit touches
/// it but a run's start, so producers never make an open run's commits fail and the hot path pays no extra request.
/// </summary>
internal static class InboxSequenceRow
{
    /// <summary>The token of a partition without the row (a run started before the row existed): the fence then inserts it.</summary>
    public const string Absent = "absent";

    /// <summary>The unique ID of the last write that touched the row; a merge needs a property to write.</summary>
    private const string WriteIdColumn = "WriteId";

    /// <summary>The token the row stands for: its ETag, or <see cref="Absent"/>.</summary>
    public static string TokenOf(TableEntity? row) => row is null ? Absent : row.ETag.ToString();

    /// <summary>Changes the token whatever it was: joins every inbox insert and a run's start.</summary>
    public static TableTransactionAction Touch(string partitionKey, string writeId) =>
        new(TableTransactionActionType.UpsertMerge, Row(partitionKey, writeId));

    /// <summary>Changes the token only if it is still <paramref name="token"/>; the transaction fails (409 or 412, or 404 after a purge) otherwise.</summary>
    public static TableTransactionAction Fence(string partitionKey, string token, string writeId) =>
        token == Absent
            ? new(TableTransactionActionType.Add, Row(partitionKey, writeId))
            : new(TableTransactionActionType.UpdateMerge, Row(partitionKey, writeId), new ETag(token));

    private static TableEntity Row(string partitionKey, string writeId) => new(partitionKey, RowKeys.InboxSequence) { [WriteIdColumn] = writeId };
}
