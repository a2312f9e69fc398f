using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Stores a byte payload (UTF-8 JSON) in binary columns <c>D0</c>, <c>D1</c>, … of a main row and, when it
/// does not fit one row, of continuation rows written in the same transaction. Nothing is ever truncated:
/// the main row records the total size and row count, and a read that cannot find every byte fails loudly.
/// </summary>
internal static class PayloadRows
{
    /// <summary>Total payload bytes, on the main row.</summary>
    public const string SizeColumn = "Size";

    /// <summary>Rows holding the payload (main row included), on the main row.</summary>
    public const string PartsColumn = "Parts";

    private const string ChunkPrefix = "D";

    /// <summary>Rows a payload of <paramref name="size"/> bytes needs.</summary>
    public static int RowCount(int size) => Math.Max(1, (size + AzureLimits.MaxPayloadBytesPerRow - 1) / AzureLimits.MaxPayloadBytesPerRow);

    /// <summary>Builds the main row (first in the list) and its continuation rows.</summary>
    public static List<TableEntity> Build(string partitionKey, string mainKey, byte[] payload)
    {
        var parts = RowCount(payload.Length);
        var rows = new List<TableEntity>(parts);
        for (var part = 0; part < parts; part++)
        {
            var row = new TableEntity(partitionKey, part == 0 ? mainKey : RowKeys.Continuation(mainKey, part));
            var start = part * AzureLimits.MaxPayloadBytesPerRow;
            WriteChunks(row, payload.AsSpan(start, Math.Min(AzureLimits.MaxPayloadBytesPerRow, payload.Length - start)));
            rows.Add(row);
        }

        rows[0][SizeColumn] = payload.Length;
        rows[0][PartsColumn] = parts;
        return rows;
    }

    /// <summary>The keys of the continuation rows <paramref name="main"/> says it has (none for a payload that fits one row).</summary>
    public static IReadOnlyList<string> ContinuationKeys(TableEntity main) =>
        Enumerable.Range(1, Math.Max(0, (main.GetInt32(PartsColumn) ?? 1) - 1)).Select(part => RowKeys.Continuation(main.RowKey, part)).ToList();

    /// <summary>Reads the payload of <paramref name="main"/>, finding continuation rows with <paramref name="findRow"/>.</summary>
    public static byte[] Read(TableEntity main, Func<string, TableEntity?> findRow)
    {
        var size = main.GetInt32(SizeColumn) ?? throw Corrupt(main, "has no Size column");
        var payload = new byte[size];
        var offset = ReadChunks(main, payload, 0);
        foreach (var key in ContinuationKeys(main))
        {
            var row = findRow(key) ?? throw Corrupt(main, $"misses continuation row '{key}'");
            offset = ReadChunks(row, payload, offset);
        }

        return offset == size ? payload : throw Corrupt(main, $"holds {offset} payload bytes, expected {size}");
    }

    /// <summary>Estimated bytes <paramref name="row"/> adds to a transaction body: base64 binary, UTF-8 text, per-operation overhead.</summary>
    public static int EstimatedBatchBytes(TableEntity row)
    {
        var bytes = AzureLimits.BatchOperationOverheadBytes;
        foreach (var (name, value) in row)
        {
            bytes += name.Length + value switch
            {
                byte[] binary => ((binary.Length + 2) / 3 * 4) + 32,
                string text => (text.Length * 3) + 8,
                _ => 32,
            };
        }

        return bytes;
    }

    private static void WriteChunks(TableEntity row, ReadOnlySpan<byte> slice)
    {
        for (var chunk = 0; chunk * AzureLimits.MaxBinaryPropertyBytes < slice.Length; chunk++)
        {
            var start = chunk * AzureLimits.MaxBinaryPropertyBytes;
            row[ChunkPrefix + chunk] = slice.Slice(start, Math.Min(AzureLimits.MaxBinaryPropertyBytes, slice.Length - start)).ToArray();
        }
    }

    private static int ReadChunks(TableEntity row, byte[] payload, int offset)
    {
        for (var chunk = 0; row.GetBinary(ChunkPrefix + chunk) is { } bytes; chunk++)
        {
            if (offset + bytes.Length > payload.Length)
            {
                throw Corrupt(row, $"holds more payload bytes than its main row's Size ({payload.Length})");
            }

            bytes.CopyTo(payload, offset);
            offset += bytes.Length;
        }

        return offset;
    }

    private static StoreException Corrupt(TableEntity row, string problem) =>
        new($"Row '{row.RowKey}' of partition '{row.PartitionKey}' {problem}: the stored payload is incomplete or was not written by this backend.", 0);
}
