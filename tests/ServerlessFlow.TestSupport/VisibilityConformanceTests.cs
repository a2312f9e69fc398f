using ServerlessFlow.Engine.Backend;
using Xunit;
using static ServerlessFlow.TestSupport.VisibilityTestData;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// The behaviour every <see cref="IVisibilityStore"/> must have. Listings run on a store seeded once per test
/// class with <see cref="VisibilityTestData.Records"/>, read to the end with page sizes 7 and 500 (some only
/// with 500, as pages of 7 are slow on Azurite) and compared to a LINQ oracle over the generated records;
/// the write side (other part) uses a fresh store per test.
/// </summary>
public abstract partial class VisibilityConformanceTests(VisibilitySeed seed) : IClassFixture<VisibilitySeed>
{
    /// <summary>Cancellation token of store calls.</summary>
    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>Below this page size a test reads only some of its listings: on Azure every page costs a request per shard.</summary>
    private const int SmallPage = 100;

    /// <summary>The page sizes every listing is read with.</summary>
    public static TheoryData<int> PageSizes => new(7, 500);

    /// <summary>Creates a store no other test class shares (e.g. a unique table name), not yet initialized.</summary>
    protected abstract Task<IVisibilityStore> CreateStoreAsync();

    /// <summary>Writes a line to the test output (a backend reports its request counts there).</summary>
    protected virtual void Report(string line)
    {
    }

    /// <summary>The storage cost since the last call, as text for <see cref="Report"/>; empty where there is none.</summary>
    protected virtual string CostSinceLastReport() => "";

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_NoFilter_NewestFirstAllPagesWithoutGapsOrRepeats(int pageSize)
    {
        var store = await SeededAsync();
        Report($"seeding {Count} records, {VisibilitySeed.Concurrency} at a time: {seed.SeedingTime.TotalSeconds:F1} s");

        var items = await ReadAllAsync(store, new WorkflowListQuery { PageSize = pageSize }, "no filter");

        var expected = Records.OrderByDescending(record => record.StartedAt).Select(Canonical).ToList();
        Assert.Equal(Count, items.Select(item => item.WorkflowId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected, items.Select(Canonical));
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_ByStatus_MatchesOracle(int pageSize)
    {
        var store = await SeededAsync();
        WorkflowStatus[] statuses = pageSize < SmallPage ? [WorkflowStatus.TimedOut] : Enum.GetValues<WorkflowStatus>();

        foreach (var status in statuses)
        {
            await AssertMatchesOracleAsync(store, new WorkflowListQuery { Status = status, PageSize = pageSize }, record => record.Status == status, $"status {status}");
        }
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_ByType_MatchesOracle(int pageSize)
    {
        var store = await SeededAsync();

        foreach (var type in pageSize < SmallPage ? ["Pipe|Type"] : new[] { "Billing/Invoice", "Pipe|Type", "日本の型" })
        {
            await AssertMatchesOracleAsync(store, new WorkflowListQuery { WorkflowType = type, PageSize = pageSize }, record => record.WorkflowType == type, $"type {type}");
        }
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_ByTypeAndStatus_MatchesOracle(int pageSize)
    {
        var store = await SeededAsync();

        foreach (var (type, status) in new[] { ("Ship#ment", WorkflowStatus.Completed), ("Тип", WorkflowStatus.Running), ("Caret^Type", WorkflowStatus.ContinuedAsNew) })
        {
            await AssertMatchesOracleAsync(
                store, new WorkflowListQuery { WorkflowType = type, Status = status, PageSize = pageSize },
                record => record.WorkflowType == type && record.Status == status, $"type {type} and status {status}");
        }
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_ByIdPrefixWithEscapedCharacters_MatchesOracle(int pageSize)
    {
        var store = await SeededAsync();

        foreach (var prefix in pageSize < SmallPage ? ["a^b|c-", "100%/0", "pay?ment/01"] : new[] { "order-eu/", "a^b|c-", "ä/日本/😀", "100%/0", "pay?ment/01", "plain\\", "заказ-2" })
        {
            await AssertMatchesOracleAsync(
                store, new WorkflowListQuery { IdPrefix = prefix, PageSize = pageSize },
                record => record.WorkflowId.StartsWith(prefix, StringComparison.Ordinal), $"ID prefix {prefix}");
        }
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_StartedBetween_MatchesOracleWithInclusiveExclusiveBounds(int pageSize)
    {
        var store = await SeededAsync();
        var after = Records[100].StartedAt;
        var before = Records.Select(record => record.StartedAt).Where(at => at > after.AddDays(3)).Min();
        var query = new WorkflowListQuery { StartedAfter = after, StartedBefore = before, PageSize = pageSize };

        var ids = await AssertMatchesOracleAsync(store, query, record => record.StartedAt >= after && record.StartedAt < before, "started between");

        Assert.Equal(Records[100].WorkflowId, ids[^1]);
        Assert.DoesNotContain(Records.Single(record => record.StartedAt == before).WorkflowId, ids);
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_ClosedBetween_MatchesOracleAndExcludesOpen(int pageSize)
    {
        var store = await SeededAsync();
        var closes = Records.Where(record => record.ClosedAt is not null).Select(record => record.ClosedAt!.Value).Order().ToList();
        var (after, before) = (closes[closes.Count / 3], closes[(closes.Count / 3) + 150]);

        var ids = await AssertMatchesOracleAsync(
            store, new WorkflowListQuery { ClosedAfter = after, ClosedBefore = before, PageSize = pageSize },
            record => record.ClosedAt >= after && record.ClosedAt < before, "closed between");
        var onlyBefore = await AssertMatchesOracleAsync(
            store, new WorkflowListQuery { ClosedBefore = closes[60], PageSize = pageSize },
            record => record.ClosedAt < closes[60], "closed before");

        Assert.Contains(Records.Single(record => record.ClosedAt == after).WorkflowId, ids);
        Assert.DoesNotContain(Records.Single(record => record.ClosedAt == before).WorkflowId, ids);
        Assert.DoesNotContain(onlyBefore, id => Records.Single(record => record.WorkflowId == id).ClosedAt is null);
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_KeywordAttributeEquals_MatchesOracle(int pageSize)
    {
        var store = await SeededAsync();

        foreach (var region in pageSize < SmallPage ? [LongRegion] : Regions)
        {
            await AssertMatchesOracleAsync(
                store, new WorkflowListQuery { SearchAttributes = [new(Region, SearchAttributeOperator.Eq, region)], PageSize = pageSize },
                record => Attribute<string>(record, Region) == region, $"Region = {region[..Math.Min(20, region.Length)]}");
        }

        var none = await store.QueryAsync(new WorkflowListQuery { SearchAttributes = [new(Region, SearchAttributeOperator.Eq, "nowhere")], PageSize = pageSize }, Ct);
        Assert.Equal((0, null), (none.Items.Count, none.ContinuationToken));
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_IntAndDatetimeRanges_MatchOracle(int pageSize)
    {
        var store = await SeededAsync();
        var dueFrom = Epoch.AddDays(20);
        var dueTo = Epoch.AddDays(23);

        await AssertMatchesOracleAsync(
            store,
            new WorkflowListQuery { SearchAttributes = [new(Amount, SearchAttributeOperator.Ge, 20_000L), new(Amount, SearchAttributeOperator.Lt, 25_000)], PageSize = pageSize },
            record => Attribute<long>(record, Amount) is >= 20_000 and < 25_000, "20000 <= Amount < 25000");
        await AssertMatchesOracleAsync(
            store,
            new WorkflowListQuery { SearchAttributes = [new(DueAt, SearchAttributeOperator.Gt, dueFrom), new(DueAt, SearchAttributeOperator.Le, dueTo.UtcDateTime)], PageSize = pageSize },
            record => record.SearchAttributes.TryGetValue(DueAt, out var due) && (DateTimeOffset)due > dueFrom && (DateTimeOffset)due <= dueTo, "DueAt in (20 d, 23 d]");
        await AssertMatchesOracleAsync(
            store,
            new WorkflowListQuery { SearchAttributes = [new(Amount, SearchAttributeOperator.Le, 5_000), new(DueAt, SearchAttributeOperator.Lt, dueFrom)], PageSize = pageSize },
            record => record.SearchAttributes.TryGetValue(Amount, out var amount) && (long)amount <= 5_000
                && record.SearchAttributes.TryGetValue(DueAt, out var due) && (DateTimeOffset)due < dueFrom, "Amount <= 5000 and DueAt < 20 d");
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_DoubleRangeAndBoolEquals_MatchOracle(int pageSize)
    {
        var store = await SeededAsync();

        await AssertMatchesOracleAsync(
            store,
            new WorkflowListQuery { SearchAttributes = [new(Score, SearchAttributeOperator.Ge, 25.0), new(Score, SearchAttributeOperator.Lt, 30.5)], PageSize = pageSize },
            record => record.SearchAttributes.TryGetValue(Score, out var score) && (double)score is >= 25.0 and < 30.5, "25 <= Score < 30.5");
        await AssertMatchesOracleAsync(
            store,
            new WorkflowListQuery { SearchAttributes = [new(Vip, SearchAttributeOperator.Eq, true), new(Score, SearchAttributeOperator.Gt, 50.0)], PageSize = pageSize },
            record => Attribute<bool>(record, Vip) && record.SearchAttributes.TryGetValue(Score, out var score) && (double)score > 50, "Vip and Score > 50");
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_Suspended_MatchesOracleAloneAndWithOtherFilters(int pageSize)
    {
        var store = await SeededAsync();

        var alone = await AssertMatchesOracleAsync(
            store, new WorkflowListQuery { Suspended = true, PageSize = pageSize }, record => record.Suspension is not null, "suspended");
        await AssertMatchesOracleAsync(
            store, new WorkflowListQuery { Suspended = true, Status = WorkflowStatus.Running, WorkflowType = "Тип", PageSize = pageSize },
            record => record.Suspension is not null && record.WorkflowType == "Тип", "suspended, running, type");
        await AssertMatchesOracleAsync(
            store, new WorkflowListQuery { Suspended = true, SearchAttributes = [new(Region, SearchAttributeOperator.Eq, "eu-west")], PageSize = pageSize },
            record => record.Suspension is not null && Attribute<string>(record, Region) == "eu-west", "suspended, Region =");
        var closed = await ReadAllAsync(store, new WorkflowListQuery { Suspended = true, Status = WorkflowStatus.Completed, PageSize = pageSize }, "suspended and completed");

        Assert.NotEmpty(alone);
        Assert.True(alone.Count < Records.Count(record => record.Status == WorkflowStatus.Running), "Every running record is suspended: the filter is untested.");
        Assert.Empty(closed);
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task QueryAsync_AllFiltersCombined_MatchesOracle(int pageSize)
    {
        var store = await SeededAsync();
        var (startedAfter, startedBefore) = (Epoch.AddDays(2), Epoch.AddDays(58));
        var (closedAfter, closedBefore) = (Epoch.AddDays(3), Epoch.AddDays(57));
        bool Common(VisibilityRecord record) =>
            record.WorkflowId.StartsWith("order-", StringComparison.Ordinal)
            && record.StartedAt >= startedAfter && record.StartedAt < startedBefore
            && record.ClosedAt >= closedAfter && record.ClosedAt < closedBefore
            && record.SearchAttributes.TryGetValue(Amount, out var amount) && (long)amount >= 0;
        WorkflowListQuery Query(WorkflowStatus? status, string? type, params SearchAttributeFilter[] attributes) => new()
        {
            Status = status, WorkflowType = type, IdPrefix = "order-", StartedAfter = startedAfter, StartedBefore = startedBefore,
            ClosedAfter = closedAfter, ClosedBefore = closedBefore, SearchAttributes = [.. attributes, new(Amount, SearchAttributeOperator.Ge, 0L)], PageSize = pageSize,
        };

        // An attribute equality drives the read (then type and status are column filters), or type and status do.
        var byRegion = await AssertMatchesOracleAsync(
            store, Query(null, null, new SearchAttributeFilter(Region, SearchAttributeOperator.Eq, "eu-west")),
            record => Common(record) && Attribute<string>(record, Region) == "eu-west", "all filters, Region =");
        await AssertMatchesOracleAsync(
            store, Query(WorkflowStatus.Completed, "Orders", new SearchAttributeFilter(Region, SearchAttributeOperator.Eq, "ap?south")),
            record => Common(record) && record.WorkflowType == "Orders" && record.Status == WorkflowStatus.Completed && Attribute<string>(record, Region) == "ap?south",
            "all filters, Region =, type and status");
        var byTypeAndStatus = await AssertMatchesOracleAsync(
            store, Query(WorkflowStatus.Failed, "Pct%Type", new SearchAttributeFilter(DueAt, SearchAttributeOperator.Ge, Epoch.AddDays(10))),
            record => Common(record) && record.WorkflowType == "Pct%Type" && record.Status == WorkflowStatus.Failed
                && record.SearchAttributes.TryGetValue(DueAt, out var due) && (DateTimeOffset)due >= Epoch.AddDays(10), "all filters, type and status");

        Assert.True(byRegion.Count > 2 * pageSize || pageSize > SmallPage, $"{byRegion.Count} items do not make several pages of {pageSize}");
        Assert.NotEmpty(byTypeAndStatus);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("aGVsbG8=")]
    [InlineData("W10=")]
    [InlineData("eyJTdGFydFRpY2tzIjoiYSJ9")]
    [InlineData("WyJ4IiwieSJd")]
    public async Task QueryAsync_MalformedToken_ThrowsInvalidRequest(string token)
    {
        var store = await SeededAsync();

        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => store.QueryAsync(new WorkflowListQuery { ContinuationToken = token }, Ct));
    }

    [Fact]
    public async Task QueryAsync_TruncatedToken_ThrowsInvalidRequest()
    {
        var store = await SeededAsync();
        var first = await store.QueryAsync(new WorkflowListQuery { PageSize = 5 }, Ct);
        Assert.NotNull(first.ContinuationToken);
        var bytes = Convert.FromBase64String(first.ContinuationToken);

        var truncated = Convert.ToBase64String(bytes[..(bytes.Length / 2)]);

        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => store.QueryAsync(new WorkflowListQuery { PageSize = 5, ContinuationToken = truncated }, Ct));
    }

    [Theory]
    [InlineData(SearchAttributeOperator.Ge, "eu-west")]
    [InlineData(SearchAttributeOperator.Lt, true)]
    public async Task QueryAsync_RangeOnKeywordOrBool_ThrowsInvalidRequest(SearchAttributeOperator op, object value)
    {
        var store = await SeededAsync();

        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() =>
            store.QueryAsync(new WorkflowListQuery { SearchAttributes = [new("Anything", op, value)] }, Ct));

        Assert.Contains("range filters apply to Int, Double and Datetime", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "Region", "x")]
    [InlineData(1001, "Region", "x")]
    [InlineData(10, "bad name", "x")]
    [InlineData(10, "Region", null)]
    public async Task QueryAsync_BadPageSizeNameOrValue_ThrowsInvalidRequest(int pageSize, string name, object? value)
    {
        var store = await SeededAsync();

        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() =>
            store.QueryAsync(new WorkflowListQuery { PageSize = pageSize, SearchAttributes = [new(name, SearchAttributeOperator.Eq, value!)] }, Ct));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(5_000)]
    public async Task FindClosedBeforeAsync_Seeded_ExactlyClosedBeforeCutoffOldestFirstBoundedByMax(int max)
    {
        var store = await SeededAsync();
        var cutoff = Epoch.AddDays(20);

        var found = await store.FindClosedBeforeAsync(cutoff, max, Ct);

        var expected = Records.Where(record => record.ClosedAt < cutoff).OrderBy(record => record.ClosedAt).Take(max).Select(Canonical).ToList();
        Assert.InRange(expected.Count, Math.Min(max, 500), max);
        Assert.Equal(expected, found.Select(Canonical));
    }

    /// <summary>The store seeded for this test class.</summary>
    protected Task<IVisibilityStore> SeededAsync() => seed.GetAsync(CreateStoreAsync);

    /// <summary>A fresh, initialized store.</summary>
    protected async Task<IVisibilityStore> FreshAsync()
    {
        var store = await CreateStoreAsync();
        await store.InitializeAsync(Ct);
        return store;
    }

    /// <summary>Reads every page of <paramref name="query"/>: every page but the last is full, the last ends the listing.</summary>
    protected async Task<List<VisibilityRecord>> ReadAllAsync(IVisibilityStore store, WorkflowListQuery query, string label)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        CostSinceLastReport();
        var items = new List<VisibilityRecord>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await store.QueryAsync(query with { ContinuationToken = token }, Ct);
            pages++;
            items.AddRange(page.Items);
            token = page.ContinuationToken;
            Assert.True(page.Items.Count <= query.PageSize, $"page {pages} of '{label}' has {page.Items.Count} items, more than {query.PageSize}");
            Assert.True(token is null || page.Items.Count == query.PageSize, $"page {pages} of '{label}' has {page.Items.Count} items and a token: only the last page may be short");
            Assert.True(pages <= (Count / query.PageSize) + 2, $"'{label}' returned more pages than there are records");
        }
        while (token is not null);

        Report($"{label}, page size {query.PageSize}: {items.Count} items in {pages} pages{CostSinceLastReport()}");
        return items;
    }

    private async Task<List<string>> AssertMatchesOracleAsync(IVisibilityStore store, WorkflowListQuery query, Func<VisibilityRecord, bool> predicate, string label)
    {
        var ids = (await ReadAllAsync(store, query, label)).Select(item => item.WorkflowId).ToList();
        Assert.Equal(Oracle(predicate), ids);
        return ids;
    }

    private static T? Attribute<T>(VisibilityRecord record, string name) =>
        record.SearchAttributes.TryGetValue(name, out var value) && value is T typed ? typed : default;
}
