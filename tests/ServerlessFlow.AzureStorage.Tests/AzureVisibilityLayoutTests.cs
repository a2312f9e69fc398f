using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>What the visibility index writes and how many requests it spends, checked against the table itself.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class AzureVisibilityLayoutTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string HostileId = "tenant/7#orders?x=1";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly RequestCounter counter = new();
    private readonly FaultInjectionPolicy faults = new();
    private AzureStorageBackend backend = null!;
    private TableClient table = null!;

    private IVisibilityStore Store => backend.Visibility;

    public async Task InitializeAsync()
    {
        backend = AzureStorageBackend.Create(TestBackends.Options(azurite, counter, faults));
        await Store.InitializeAsync(Ct);
        table = new TableClient(azurite.ConnectionString, AzureStorageBackend.VisibilityTableName(backend.Options.Prefix));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task UpsertAsync_StatusChange_LeavesNoStaleIndexRow()
    {
        await Store.UpsertAsync(Entry(1, WorkflowStatus.Running, "eu/west"), Ct);

        await Store.UpsertAsync(Entry(2, WorkflowStatus.Completed, "us/east"), Ct);

        var rows = await RowsAsync();
        var keys = rows.Select(row => row.RowKey).ToList();
        var (shard, hash) = VisibilityKeys.Locate(HostileId);
        var inv = VisibilityKeys.Inverted(Start);
        string[] expected =
        [
            $"A|Amount|2|{inv}|{hash}", $"A|Region|us^2Feast|{inv}|{hash}", $"C|{Start.AddHours(1).UtcTicks:D19}|{hash}", "P|tenant^2F7^23orders^3Fx=1",
            $"S|{inv}|{hash}", $"T|Billing^2FInvoice|{inv}|{hash}", $"X|Completed|{inv}|{hash}", $"Y|Billing^2FInvoice|Completed|{inv}|{hash}",
        ];
        Assert.Equal(expected, keys.Order(StringComparer.Ordinal));
        Assert.All(rows, row => Assert.Equal((shard, 2L, "Completed"), (row.PartitionKey, row.GetInt64(VisibilityRows.VersionColumn), row.GetString(VisibilityRows.StatusColumn))));
        var pointer = rows.Single(row => row.RowKey.StartsWith("P|", StringComparison.Ordinal));
        Assert.Equal(expected.Where(key => !key.StartsWith("P|", StringComparison.Ordinal)).Order(StringComparer.Ordinal), VisibilityRows.ListedKeys(pointer).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeleteAsync_AtTheStoredVersion_LeavesTheShardEmpty()
    {
        await Store.UpsertAsync(Entry(3, WorkflowStatus.Failed, "eu/west"), Ct);

        await Store.DeleteAsync(HostileId, 3, Ct);

        Assert.Empty(await RowsAsync());
    }

    [Fact]
    public async Task UpsertAsync_NewThenSameVersion_OneTransactionThenNothing()
    {
        var entry = Entry(1, WorkflowStatus.Running, "eu/west");
        counter.Reset();

        await Store.UpsertAsync(entry, Ct);
        var first = counter.Snapshot();
        counter.Reset();
        await Store.UpsertAsync(entry, Ct);
        var again = counter.Snapshot();

        // A start's entry is added without reading first; the store remembers what it wrote, so the repeat costs nothing.
        Assert.Equal(1, first.Total);
        Assert.Equal(1, first.ByResource["POST $batch"]);
        Assert.Equal(0, again.Total);
    }

    [Fact]
    public async Task UpsertAsync_CloseAfterStartInTheSameStore_OneTransactionWithoutARead()
    {
        await Store.UpsertAsync(Entry(1, WorkflowStatus.Running, "eu/west"), Ct);
        counter.Reset();

        await Store.UpsertAsync(Entry(2, WorkflowStatus.Completed, "us/east"), Ct);

        var close = counter.Snapshot();
        Assert.Equal(1, close.Total);
        Assert.Equal(1, close.ByResource["POST $batch"]);
        var listed = Assert.Single((await Store.QueryAsync(new WorkflowListQuery(), Ct)).Items);
        Assert.Equal((2L, WorkflowStatus.Completed), (listed.Version, listed.Status));
        Assert.Equal(8, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task UpsertAsync_EntryChangedByAnotherProcessSinceThisStoreWroteIt_ReadsAgainAndWritesTheNewest()
    {
        await Store.UpsertAsync(Entry(1, WorkflowStatus.Running, "eu/west"), Ct);
        var other = AzureStorageBackend.Create(backend.Options with { Policies = [] });
        await other.Visibility.UpsertAsync(Entry(2, WorkflowStatus.Running, "ap/south"), Ct); // finds the entry it guessed was new
        counter.Reset();

        await Store.UpsertAsync(Entry(3, WorkflowStatus.Completed, "us/east"), Ct); // what this store remembers is stale now

        var close = counter.Snapshot();
        Assert.Equal(3, close.Total); // the fenced transaction refused, the read, the transaction
        var listed = Assert.Single((await Store.QueryAsync(new WorkflowListQuery(), Ct)).Items);
        Assert.Equal((3L, WorkflowStatus.Completed), (listed.Version, listed.Status));
        Assert.DoesNotContain(await RowsAsync(), row => row.RowKey.Contains("ap^2Fsouth", StringComparison.Ordinal));
        Assert.Equal(8, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task UpsertAsync_AnswerLostAfterApplied_ResolvedByTheStoredVersion()
    {
        var entry = Entry(1, WorkflowStatus.Running, "eu/west");
        faults.FailNext(FaultInjectionPolicy.IsTransaction, FaultTiming.AfterSend);

        await Store.UpsertAsync(entry, Ct);
        await Store.UpsertAsync(Entry(2, WorkflowStatus.Completed, "us/east"), Ct);

        Assert.Equal(1, faults.Injected);
        var listed = Assert.Single((await Store.QueryAsync(new WorkflowListQuery(), Ct)).Items);
        Assert.Equal((2L, WorkflowStatus.Completed), (listed.Version, listed.Status));
        Assert.Equal(8, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task QueryAsync_FilteredPage_OneRequestPerShardAndNoneElsewhere()
    {
        for (var i = 0; i < 40; i++)
        {
            await Store.UpsertAsync(Entry(1, WorkflowStatus.Completed, "eu/west") with { WorkflowId = $"order-{i:D2}", StartedAt = Start.AddMinutes(i) }, Ct);
        }

        counter.Reset();

        var page = await Store.QueryAsync(
            new WorkflowListQuery
            {
                IdPrefix = "order-", Status = WorkflowStatus.Completed, ClosedAfter = Start, PageSize = 10,
                SearchAttributes = [new("Region", SearchAttributeOperator.Eq, "eu/west"), new("Amount", SearchAttributeOperator.Ge, 1L)],
            },
            Ct);

        Assert.Equal(Enumerable.Range(30, 10).Reverse().Select(i => $"order-{i:D2}"), page.Items.Select(item => item.WorkflowId));
        Assert.NotNull(page.ContinuationToken);
        var counts = counter.Snapshot();
        Assert.Equal(VisibilityKeys.Shards, counts.Total);
        Assert.Equal(VisibilityKeys.Shards, counts.ByResource[$"GET {AzureStorageBackend.VisibilityTableName(backend.Options.Prefix)}"]);
    }

    [Fact]
    public async Task QueryAsync_TokenOfAnotherListing_ThrowsInvalidRequest()
    {
        for (var i = 0; i < 20; i++)
        {
            await Store.UpsertAsync(Entry(1, WorkflowStatus.Completed, "eu/west") with { WorkflowId = $"order-{i:D2}", StartedAt = Start.AddMinutes(i) }, Ct);
        }

        var byStatus = await Store.QueryAsync(new WorkflowListQuery { Status = WorkflowStatus.Completed, PageSize = 5 }, Ct);

        Assert.NotNull(byStatus.ContinuationToken);
        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() =>
            Store.QueryAsync(new WorkflowListQuery { WorkflowType = "Billing/Invoice", PageSize = 5, ContinuationToken = byStatus.ContinuationToken }, Ct));
        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() =>
            Store.QueryAsync(new WorkflowListQuery { Status = WorkflowStatus.Completed, StartedAfter = Start.AddMinutes(18), PageSize = 5, ContinuationToken = byStatus.ContinuationToken }, Ct));
    }

    [Fact]
    public async Task QueryAsync_MoreComparisonsThanAzureAllows_ThrowsInvalidRequest()
    {
        var filters = Enumerable.Range(0, 9).Select(i => new SearchAttributeFilter($"N{i}", SearchAttributeOperator.Ge, (long)i)).ToList();

        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() =>
            Store.QueryAsync(new WorkflowListQuery { IdPrefix = "a", ClosedAfter = Start, ClosedBefore = Start.AddDays(1), SearchAttributes = filters }, Ct));

        Assert.Contains("allows 15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdPrefixSuccessor_LastCharacterMaximal_CarriesLeftOrHasNone()
    {
        Assert.Equal("ab", VisibilityQueryPlan.Successor("aa"));
        Assert.Equal("b", VisibilityQueryPlan.Successor("a\uFFFF"));
        Assert.Null(VisibilityQueryPlan.Successor("\uFFFF\uFFFF"));
    }

    private static VisibilityRecord Entry(long version, WorkflowStatus status, string region) => new()
    {
        WorkflowId = HostileId,
        RunId = "run-" + version,
        WorkflowType = "Billing/Invoice",
        TaskQueue = "default",
        Status = status,
        StartedAt = Start,
        ClosedAt = status == WorkflowStatus.Running ? null : Start.AddHours(1),
        HistoryLength = 10 * version,
        Version = version,
        SearchAttributes = new Dictionary<string, object> { ["Region"] = region, ["Amount"] = version },
    };

    /// <summary>Every row of the hostile ID's shard that belongs to it.</summary>
    private async Task<List<TableEntity>> RowsAsync()
    {
        var (shard, _) = VisibilityKeys.Locate(HostileId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shard} and WorkflowId eq {HostileId}");
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }
}
