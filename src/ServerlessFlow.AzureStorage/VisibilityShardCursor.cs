using Azure.Data.Tables;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// One shard's rows of a listing, in key order, read a page at a time as the merge consumes them. It remembers
/// the last row consumed, which is where the next page of the listing resumes in this shard.
/// </summary>
internal sealed class VisibilityShardCursor : IAsyncDisposable
{
    private readonly IAsyncEnumerator<TableEntity>? rows;
    private string? resumeAfter;

    /// <summary>Opens the cursor where <paramref name="tokenEntry"/> (from <see cref="VisibilityPageToken"/>) left the shard.</summary>
    public VisibilityShardCursor(TableClient table, VisibilityQueryPlan plan, string partitionKey, string? tokenEntry, CancellationToken cancellationToken)
    {
        if (tokenEntry == VisibilityPageToken.Done || plan.IsEmpty)
        {
            Exhausted = true;
            return;
        }

        resumeAfter = tokenEntry;
        rows = table.QueryAsync<TableEntity>(plan.Filter(partitionKey, tokenEntry), maxPerPage: plan.PageSize, cancellationToken: cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>The next row, not consumed yet; null once the shard is exhausted (or before the first <see cref="AdvanceAsync"/>).</summary>
    public TableEntity? Head { get; private set; }

    /// <summary>True when the shard has no more rows.</summary>
    public bool Exhausted { get; private set; }

    /// <summary>The shard's entry in the token of the next page.</summary>
    public string? TokenEntry => Exhausted ? VisibilityPageToken.Done : resumeAfter;

    /// <summary>Moves <see cref="Head"/> to the next row, reading the next page from storage when this one is used up.</summary>
    public async Task AdvanceAsync()
    {
        if (rows is not null && !Exhausted && await rows.MoveNextAsync())
        {
            Head = rows.Current;
            return;
        }

        Head = null;
        Exhausted = true;
    }

    /// <summary>Consumes <see cref="Head"/>.</summary>
    public TableEntity Take()
    {
        var head = Head ?? throw new InvalidOperationException("The shard has no row to take.");
        resumeAfter = head.RowKey;
        Head = null;
        return head;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => rows?.DisposeAsync() ?? ValueTask.CompletedTask;
}
