using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>The listing: the plan's driver range read in every shard at once, merged newest start first.</summary>
internal sealed partial class AzureVisibilityStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Each shard is read in key order with pages of <see cref="WorkflowListQuery.PageSize"/> rows (8 requests in
    /// parallel to start), and the shards are merged k-way by key — the driver prefix is the same everywhere, so
    /// that is by <c>(inv(start), h)</c>: newest first. A shard is read again only when its page is used up.
    /// A page is short only when it is the last; its token is null then.
    /// </remarks>
    public async Task<VisibilityPage> QueryAsync(WorkflowListQuery query, CancellationToken cancellationToken)
    {
        var plan = VisibilityQueryPlan.Create(query);
        var entries = VisibilityPageToken.Parse(query.ContinuationToken, plan);
        return await StorageErrors.Run("Listing workflows from the visibility index", async () =>
        {
            var cursors = VisibilityKeys.Partitions.Select((partitionKey, shard) => new VisibilityShardCursor(table, plan, partitionKey, entries[shard], cancellationToken)).ToList();
            try
            {
                try
                {
                    await Task.WhenAll(cursors.Select(cursor => cursor.AdvanceAsync()));
                }
                catch (Azure.RequestFailedException e) when (StorageErrors.IsTableNotFound(e))
                {
                    // The index is not created yet (a fresh deployment, before any worker started): nothing is indexed.
                    return new VisibilityPage([], null);
                }

                var items = new List<VisibilityRecord>(Math.Min(plan.PageSize, 100));
                while (items.Count < plan.PageSize
                    && cursors.Where(cursor => cursor.Head is not null).MinBy(cursor => cursor.Head!.RowKey, StringComparer.Ordinal) is { } next)
                {
                    items.Add(VisibilityRows.Read(next.Take()));
                    await next.AdvanceAsync();
                }

                var token = cursors.TrueForAll(cursor => cursor.Exhausted) ? null : VisibilityPageToken.Format(cursors.Select(cursor => cursor.TokenEntry));
                return new VisibilityPage(items, token);
            }
            finally
            {
                foreach (var cursor in cursors)
                {
                    await cursor.DisposeAsync();
                }
            }
        }, cancellationToken);
    }
}
