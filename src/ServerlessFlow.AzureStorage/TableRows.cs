using Azure.Data.Tables;

namespace ServerlessFlow.AzureStorage;

/// <summary>Small table helpers shared by the store's parts.</summary>
internal static class TableRows
{
    /// <summary>Point read; null when the row does not exist.</summary>
    public static async Task<TableEntity?> ReadAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await StorageErrors.Run(
            $"Reading row '{rowKey}' of partition '{partitionKey}' in table '{table.Name}'",
            () => table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken),
            cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// A fresh unique ID for one write. Written into the row, it tells after an ambiguous outcome (a broken
    /// connection, or a conflict caused by the SDK re-sending a request that had already been applied)
    /// whether the row holds this write or someone else's.
    /// </summary>
    public static string NewWriteId() => Guid.NewGuid().ToString("N");

    /// <summary>Estimated request-body bytes of a transaction of <paramref name="rows"/>.</summary>
    public static long EstimatedBatchBytes(IEnumerable<TableEntity> rows) => rows.Sum(row => (long)PayloadRows.EstimatedBatchBytes(row));
}
