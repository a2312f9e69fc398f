using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace ServerlessFlow.Bench.Workloads;

/// <summary>
/// Looks at one engine's queues and tables from outside, with clients that are not counted: how many messages
/// its queues still hold (visible or not) and how many rows its tables hold.
/// </summary>
internal sealed class StorageProbe(string connectionString, string prefix)
{
    private readonly QueueServiceClient queues = new(connectionString);
    private readonly TableServiceClient tables = new(connectionString);

    /// <summary>Messages in the engine's queues, delayed and leased ones included (the approximate count has both).</summary>
    public async Task<long> QueuedMessagesAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        await foreach (var queue in queues.GetQueuesAsync(prefix: prefix.ToLowerInvariant(), cancellationToken: cancellationToken))
        {
            var properties = await queues.GetQueueClient(queue.Name).GetPropertiesAsync(cancellationToken);
            total += properties.Value.ApproximateMessagesCount;
        }

        return total;
    }

    /// <summary>Rows per table of the engine, by table name.</summary>
    public async Task<IReadOnlyDictionary<string, long>> TableRowsAsync(CancellationToken cancellationToken)
    {
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var table in tables.QueryAsync(cancellationToken: cancellationToken))
        {
            if (!table.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            long count = 0;
            await foreach (var _ in tables.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken))
            {
                count++;
            }

            rows[table.Name] = count;
        }

        return rows;
    }
}
