using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>Purge on Azure, checked against the table itself: what is left of the partition, and races with a new run.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class AzurePurgeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int Budget = 1_000;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly RequestHook hook = new();
    private readonly RequestCounter counter = new();
    private AzureStorageBackend backend = null!;
    private IWorkflowStore other = null!;
    private TableClient table = null!;

    private IWorkflowStore Store => backend.Store;

    public async Task InitializeAsync()
    {
        backend = await TestBackends.CreateAsync(azurite, hook, counter);
        other = AzureStorageBackend.Create(backend.Options with { Policies = [] }).Store;
        table = new TableClient(azurite.ConnectionString, AzureStorageBackend.WorkflowTableName(backend.Options.Prefix));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PurgeAsync_ClosedWorkflow_RawPartitionScanIsEmpty()
    {
        var chain = await ClosedChain.CommitAsync(Store, "tenant/7#orders?x=1", timersPerRun: 3, bigPayloads: true, Ct);
        var before = await PartitionKeysAsync(chain.WorkflowId);
        counter.Reset();

        var outcome = await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, Budget, Ct);

        Assert.Equal(PurgeOutcome.Purged, outcome);
        Assert.Contains(before, key => key.StartsWith("h|", StringComparison.Ordinal) && key.EndsWith("|0003", StringComparison.Ordinal));
        Assert.Contains(before, key => key.StartsWith("m|", StringComparison.Ordinal) && key.EndsWith("|0003", StringComparison.Ordinal));
        Assert.Contains(before, key => key.StartsWith("a|", StringComparison.Ordinal));
        Assert.Equal(3, before.Count(key => key.StartsWith("r|", StringComparison.Ordinal)));
        Assert.Empty(await PartitionKeysAsync(chain.WorkflowId));

        // Two point reads, one listing, one transaction for the other rows, the final one.
        Assert.Equal(5, counter.Total);
    }

    [Fact]
    public async Task PurgeAsync_NewRunStartedMidPurge_NewRunIntactAndRunChanged()
    {
        var chain = await ClosedChain.CommitAsync(Store, NewWorkflowId(), timersPerRun: 3, bigPayloads: false, Ct);
        InstanceRecord? newRun = null;
        hook.Before(FaultInjectionPolicy.IsTransaction, async () => newRun = await ClosedChain.StartNewRunAsync(other, chain.Closed, Ct));

        var outcome = await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, Budget, Ct);

        Assert.Equal((1, PurgeOutcome.RunChanged), (hook.Fired, outcome));
        Assert.NotNull(newRun);
        var snapshot = await Store.LoadAsync(chain.WorkflowId, newRun.RunId, 0, Ct);
        Assert.Equal((newRun.RunId, newRun.ETag), (snapshot!.Instance.RunId, snapshot.Instance.ETag));
        Assert.Equal("new run", Assert.IsType<WorkflowStarted>(Assert.Single(snapshot.History)).Input?.GetString());
        Assert.Equal(ClosedChain.LeftoverInboxKey, Assert.Single(snapshot.Inbox).Key);
        var keys = await PartitionKeysAsync(chain.WorkflowId);
        Assert.Contains(RowKeys.Run(newRun.RunId), keys);
        Assert.Contains(RowKeys.History(newRun.RunId, 1), keys);
    }

    [Fact]
    public async Task PurgeAsync_NewRunStartedBeforeTheFinalTransaction_RunChangedAndNewRunIntact()
    {
        var chain = await ClosedChain.CommitAsync(Store, NewWorkflowId(), timersPerRun: 3, bigPayloads: false, Ct);
        InstanceRecord? newRun = null;
        var transactions = 0;
        hook.Before(request => FaultInjectionPolicy.IsTransaction(request) && ++transactions == 2, async () => newRun = await ClosedChain.StartNewRunAsync(other, chain.Closed, Ct));

        var outcome = await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, Budget, Ct);

        Assert.Equal((1, PurgeOutcome.RunChanged), (hook.Fired, outcome));
        var snapshot = await Store.LoadAsync(chain.WorkflowId, newRun!.RunId, 0, Ct);
        Assert.Equal(newRun.ETag, snapshot!.Instance.ETag);
        Assert.Single(snapshot.History);
        Assert.Equal(ClosedChain.LeftoverInboxKey, Assert.Single(snapshot.Inbox).Key);
    }

    [Theory]
    [InlineData(Budget, 1)]
    [InlineData(100, 4)]
    public async Task PurgeAsync_MoreInboxRowsThanOneTransaction_PurgedWithinTheBudget(int budget, int calls)
    {
        var chain = await ClosedChain.CommitAsync(Store, NewWorkflowId(), timersPerRun: 0, bigPayloads: false, Ct);
        for (var i = 0; i < 250; i++)
        {
            await Store.AddInboxAsync(chain.WorkflowId, Item($"late-{i:D3}", chain.Closed.RunId), Ct);
        }

        var outcomes = new List<PurgeOutcome>();
        do
        {
            outcomes.Add(await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, budget, Ct));
        }
        while (outcomes[^1] == PurgeOutcome.MoreToDo && outcomes.Count < 10);

        Assert.Equal([.. Enumerable.Repeat(PurgeOutcome.MoreToDo, calls - 1), PurgeOutcome.Purged], outcomes);
        Assert.Empty(await PartitionKeysAsync(chain.WorkflowId));
    }

    [Fact]
    public async Task PurgeAsync_TwoPurgesAtOnce_BothEndPurgedAndNothingIsLeft()
    {
        var chain = await ClosedChain.CommitAsync(Store, NewWorkflowId(), timersPerRun: 150, bigPayloads: false, Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            var outcome = PurgeOutcome.MoreToDo;
            for (var call = 0; call < 20 && outcome == PurgeOutcome.MoreToDo; call++)
            {
                outcome = await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, 100, Ct);
            }

            return outcome;
        }));

        Assert.All(outcomes, outcome => Assert.Contains(outcome, new[] { PurgeOutcome.Purged, PurgeOutcome.NotFound }));
        Assert.Empty(await PartitionKeysAsync(chain.WorkflowId));
    }

    private async Task<List<string>> PartitionKeysAsync(string workflowId)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {KeyEscaping.PartitionKey(workflowId)}");
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"]))
        {
            keys.Add(row.RowKey);
        }

        return keys;
    }
}
