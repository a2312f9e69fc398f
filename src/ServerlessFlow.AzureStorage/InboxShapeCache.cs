using System.Collections.Concurrent;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// How many continuation rows each inbox row has, as last seen by this process. A commit names consumed
/// inbox rows by key only, yet must delete their continuation rows in the same transaction; remembering
/// the shape seen when the inbox was loaded (or written) saves a query per commit. A wrong or missing entry
/// is safe: the commit then queries the inbox, and a delete of a row that is not there fails the whole
/// transaction, which the commit retries with fresh shapes.
/// </summary>
internal sealed class InboxShapeCache
{
    /// <summary>Entries kept before the cache starts over; an entry is ~100 bytes, and a miss costs one query.</summary>
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string Partition, string RowKey), int> continuations = new();

    /// <summary>Remembers that inbox row <paramref name="rowKey"/> has <paramref name="continuationRows"/> continuation rows.</summary>
    public void Record(string partitionKey, string rowKey, int continuationRows)
    {
        if (continuations.Count >= MaxEntries)
        {
            continuations.Clear();
        }

        continuations[(partitionKey, rowKey)] = continuationRows;
    }

    /// <summary>The remembered continuation row count, if any.</summary>
    public bool TryGet(string partitionKey, string rowKey, out int continuationRows) =>
        continuations.TryGetValue((partitionKey, rowKey), out continuationRows);

    /// <summary>Forgets a row (consumed, or found to differ from what was remembered).</summary>
    public void Forget(string partitionKey, string rowKey) => continuations.TryRemove((partitionKey, rowKey), out _);
}
