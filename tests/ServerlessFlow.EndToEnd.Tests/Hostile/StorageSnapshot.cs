using System.Globalization;
using Azure.Data.Tables;

namespace ServerlessFlow.EndToEnd.Tests.Hostile;

/// <summary>Every entity of a dev server's tables (by its prefix), with its ETag: two equal snapshots mean nothing was written in between.</summary>
internal static class StorageSnapshot
{
    public static async Task<SortedDictionary<string, string>> TakeAsync(string connectionString, string prefix)
    {
        var service = new TableServiceClient(connectionString);
        var entities = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var table in service.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var values = string.Join(";", entity.Keys.Order(StringComparer.Ordinal).Select(k => k + "=" + Convert.ToString(entity[k], CultureInfo.InvariantCulture)));
                entities[$"{table.Name}|{entity.PartitionKey}|{entity.RowKey}"] = $"{entity.ETag}|{values}";
            }
        }

        return entities;
    }

    /// <summary>The keys that differ between two snapshots (added, removed or rewritten), for a failure message.</summary>
    public static IReadOnlyList<string> Differences(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        before.Keys.Union(after.Keys)
            .Where(key => !before.TryGetValue(key, out var a) || !after.TryGetValue(key, out var b) || a != b)
            .ToList();
}
