using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Keys of the visibility table (stored data depends on them: never change them). PartitionKey <c>v{shard}</c>
/// with shard = SHA-256 of the escaped ID mod <see cref="Shards"/>, so every row of one workflow is in one
/// partition and each update is one entity-group transaction. RowKeys, with <c>inv(t)</c> the UTC ticks
/// counted down from <see cref="DateTimeOffset.MaxValue"/> (ascending = newest first) and <c>h</c> 16 hex
/// digits of the same hash (an escaped ID may fill the whole key budget alone):
/// <list type="bullet">
/// <item><c>P|{esc(id)}</c> — the pointer row: version, run, the keys of this workflow's index rows; the ETag fence of updates.</item>
/// <item><c>S|{inv(start)}|{h}</c> — every workflow.</item>
/// <item><c>T|{esc(type)}|{inv(start)}|{h}</c> — by type.</item>
/// <item><c>X|{status}|{inv(start)}|{h}</c> — by status.</item>
/// <item><c>Y|{esc(type)}|{status}|{inv(start)}|{h}</c> — by type and status.</item>
/// <item><c>C|{closeTicks:D19}|{h}</c> — closed workflows, oldest close first (retention).</item>
/// <item><c>A|{esc(name)}|{value}|{inv(start)}|{h}</c> — one per search attribute; value from <see cref="SearchAttributeValue.KeyText"/>.</item>
/// </list>
/// Escaped segments never hold <c>|</c>, so a prefix ending in <c>|</c> selects exactly its rows, and the
/// same prefix ending in <c>}</c> (the character after <c>|</c>) is its exclusive upper bound.
/// </summary>
internal static class VisibilityKeys
{
    /// <summary>Partitions of the index: each takes about 2,000 entities/s on Azure. Part of every key: never change it.</summary>
    public const int Shards = 8;

    /// <summary>The closed-workflow rows.</summary>
    public const string ClosedPrefix = "C|";

    /// <summary>The all-workflows rows.</summary>
    public const string StartPrefix = "S|";

    private const string PointerPrefix = "P|";

    private const string HashedPointerPrefix = "p|";
    private const string TypePrefix = "T|";
    private const string StatusPrefix = "X|";
    private const string TypeStatusPrefix = "Y|";
    private const string AttributePrefix = "A|";

    /// <summary>Hex digits of <c>h</c>: 64 bits, so two IDs started in the same tick do not collide in practice.</summary>
    private const int HashHexDigits = 16;

    /// <summary>Digits of a tick count: DateTimeOffset.MaxValue.UtcTicks has 19.</summary>
    private const string TicksFormat = "D19";

    /// <summary>The partition keys of every shard.</summary>
    public static IReadOnlyList<string> Partitions { get; } =
        Enumerable.Range(0, Shards).Select(shard => "v" + shard.ToString(CultureInfo.InvariantCulture)).ToList();

    /// <summary>The partition and hash of a workflow ID.</summary>
    public static (string PartitionKey, string Hash) Locate(string workflowId)
    {
        // The escaped form is hashed: it is injective, where UTF-8 would map every lone surrogate to U+FFFD.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(KeyEscaping.Escape(workflowId)));
        var shard = BinaryPrimitives.ReadUInt32BigEndian(digest) % Shards;
        return (Partitions[(int)shard], Convert.ToHexStringLower(digest, 0, HashHexDigits / 2));
    }

    /// <summary>
    /// The pointer row of a workflow; also validates the ID as the workflow table does. An ID whose escaped form leaves
    /// no room for the prefix is named by its SHA-256 under a prefix of its own, so the two forms never meet.
    /// </summary>
    public static string Pointer(string workflowId)
    {
        var escaped = KeyEscaping.PartitionKey(workflowId);
        return PointerPrefix.Length + escaped.Length <= AzureLimits.MaxKeyLength
            ? PointerPrefix + escaped
            : HashedPointerPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(escaped)));
    }

    /// <summary>The keys of the index rows <paramref name="record"/> needs (the pointer row not included).</summary>
    public static List<string> IndexKeys(VisibilityRecord record, string hash, IEnumerable<(string Name, SearchAttributeValue Value)> attributes)
    {
        var tail = Inverted(record.StartedAt) + KeyEscaping.Separator + hash;
        var keys = new List<string>
        {
            StartPrefix + tail,
            ForType(record.WorkflowType) + tail,
            ForStatus(record.Status) + tail,
            ForTypeAndStatus(record.WorkflowType, record.Status) + tail,
        };
        if (record.ClosedAt is { } closedAt)
        {
            keys.Add(ClosedPrefix + closedAt.UtcTicks.ToString(TicksFormat, CultureInfo.InvariantCulture) + KeyEscaping.Separator + hash);
        }

        keys.AddRange(attributes.Select(attribute => ForAttribute(attribute.Name, attribute.Value) + tail));
        return keys.Select(Checked).ToList();
    }

    /// <summary>Prefix of the rows of one type.</summary>
    public static string ForType(string workflowType) => TypePrefix + KeyEscaping.Escape(workflowType) + KeyEscaping.Separator;

    /// <summary>Prefix of the rows of one status.</summary>
    public static string ForStatus(WorkflowStatus status) => StatusPrefix + status.ToString() + KeyEscaping.Separator;

    /// <summary>Prefix of the rows of one type and status.</summary>
    public static string ForTypeAndStatus(string workflowType, WorkflowStatus status) =>
        TypeStatusPrefix + KeyEscaping.Escape(workflowType) + KeyEscaping.Separator + status.ToString() + KeyEscaping.Separator;

    /// <summary>Prefix of the rows of one search attribute value.</summary>
    public static string ForAttribute(string name, SearchAttributeValue value) =>
        AttributePrefix + KeyEscaping.Escape(name) + KeyEscaping.Separator + value.KeyText + KeyEscaping.Separator;

    /// <summary><c>inv(t)</c>: ascending order of it is newest first.</summary>
    public static string Inverted(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString(TicksFormat, CultureInfo.InvariantCulture);

    /// <summary>Exclusive upper bound of the C rows closed before <paramref name="cutoff"/>.</summary>
    public static string ClosedBefore(DateTimeOffset cutoff) => ClosedPrefix + cutoff.UtcTicks.ToString(TicksFormat, CultureInfo.InvariantCulture);

    /// <summary>Exclusive upper bound of every key starting with <paramref name="prefix"/> (which ends with <c>|</c>).</summary>
    public static string End(string prefix) => string.Concat(prefix.AsSpan(0, prefix.Length - 1), "}");

    private static string Checked(string rowKey) =>
        rowKey.Length <= AzureLimits.MaxKeyLength
            ? rowKey
            : throw new InvalidWorkflowRequestException(
                $"Visibility row key '{rowKey[..40]}…' is {rowKey.Length} characters once escaped; the limit is {AzureLimits.MaxKeyLength}. Use a shorter workflow type name.");
}
