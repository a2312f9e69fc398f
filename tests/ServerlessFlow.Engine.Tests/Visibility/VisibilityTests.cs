using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Tests.Visibility;

/// <summary>The visibility index follows commits: start, upserts, close, continue-as-new, memo; a lost index write is repaired.</summary>
public abstract class VisibilityTests : EngineSuite
{
    internal static void Register(ServerlessFlowBuilder b) => b
        .AddWorkflow<SteppedWorkflow>().AddWorkflow<BadUpsertWorkflow>().AddWorkflow<QuickWorkflow>().AddWorkflow<ParentWithTaggedChild>().AddWorkflow<ReportsOwnAttributes>()
        .AddSearchAttribute("Step", SearchAttributeType.Keyword)
        .AddSearchAttribute("Attempts", SearchAttributeType.Int)
        .AddSearchAttribute("Customer", SearchAttributeType.Keyword)
        .AddSearchAttribute("Amount", SearchAttributeType.Double);

    [Fact]
    public async Task List_WorkflowStartsUpsertsAndCloses_IndexFollowsCommits()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var options = new StartWorkflowOptions { Id = "order-1", SearchAttributes = new Dictionary<string, object?> { ["Customer"] = "c-42", ["Amount"] = 12.5 } };
        await engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), options);

        var waiting = await ListAsync(engine, new WorkflowListQuery { SearchAttributes = [new("Step", SearchAttributeOperator.Eq, "waiting")] }, 1);
        var item = waiting.Single();
        Assert.Equal(("order-1", WorkflowStatus.Running), (item.Id, item.Status));
        Assert.Equal("c-42", item.SearchAttributes["Customer"].GetString());
        Assert.Equal(1, item.SearchAttributes["Attempts"].GetInt64());

        await engine.Client.SignalWorkflowAsync("order-1", "advance", null);
        var done = await ListAsync(engine, new WorkflowListQuery { Status = WorkflowStatus.Completed, SearchAttributes = [new("Step", SearchAttributeOperator.Eq, "done")] }, 1);
        Assert.False(done.Single().SearchAttributes.ContainsKey("Attempts"));
        Assert.NotNull(done.Single().ClosedAt);
        Assert.Empty((await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { Status = WorkflowStatus.Running })).Items);
        Assert.Empty((await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { SearchAttributes = [new("Step", SearchAttributeOperator.Eq, "waiting")] })).Items);

        var described = await engine.Client.DescribeWorkflowAsync("order-1");
        Assert.Equal("done", described.SearchAttributes["Step"].GetString());
        Assert.Equal(12.5, described.SearchAttributes["Amount"].GetDouble());
    }

    [Fact]
    public async Task Start_IdWhoseEscapedFormFillsTheKey_ListedAndPurged()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = new string('/', 128) + new string('a', 128); // 256 characters, 512 once escaped: no room for a key prefix
        await engine.RunAsync(nameof(QuickWorkflow), 1, id);

        var listed = await ListAsync(engine, new WorkflowListQuery { IdPrefix = "///", Status = WorkflowStatus.Completed }, 1);
        Assert.Equal(id, listed.Single().Id);
        Assert.True(await engine.Client.PurgeWorkflowAsync(id));
        Assert.Empty((await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = "///" })).Items);
    }

    [Fact]
    public async Task Start_WithMemo_DescribeReturnsMemo()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var memo = new Dictionary<string, object?> { ["note"] = "VIP", ["tags"] = new[] { "a", "b" } };
        await engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), new StartWorkflowOptions { Id = "memo", Memo = memo });

        var described = await engine.Client.DescribeWorkflowAsync("memo");
        Assert.Equal("VIP", described.Memo!["note"].GetString());
        Assert.Equal(["a", "b"], described.Memo["tags"].EnumerateArray().Select(e => e.GetString()));

        var tooBig = new Dictionary<string, object?> { ["blob"] = new string('x', 70 * 1024) };
        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() =>
            engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), new StartWorkflowOptions { Id = "memo-big", Memo = tooBig }));
        Assert.Contains("64 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnregisteredOrMistypedAttribute_RejectedAndNothingStarted()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var unregistered = new StartWorkflowOptions { Id = "bad-1", SearchAttributes = new Dictionary<string, object?> { ["Colour"] = "red" } };
        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), unregistered));
        Assert.Contains("AddSearchAttribute(\"Colour\"", error.Message, StringComparison.Ordinal);

        var mistyped = new StartWorkflowOptions { Id = "bad-2", SearchAttributes = new Dictionary<string, object?> { ["Attempts"] = "three" } };
        error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), mistyped));
        Assert.Contains("'Attempts' is a Int", error.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.DescribeWorkflowAsync("bad-1"));
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.DescribeWorkflowAsync("bad-2"));
        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() =>
            engine.Client.ListWorkflowsAsync(new WorkflowListQuery { SearchAttributes = [new("Step", SearchAttributeOperator.Ge, "a")] }));
    }

    [Fact]
    public async Task UpsertSearchAttributes_Unregistered_FailsTheTaskNotTheWorkflowNamingTheFix()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        await engine.Client.StartWorkflowAsync(nameof(BadUpsertWorkflow), null, new StartWorkflowOptions { Id = "bad-upsert" });

        // Like a non-determinism error: nothing is recorded, the task is retried, and describe says what to fix.
        var described = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync("bad-upsert"), d => d.LastTaskFailure is not null);
        Assert.Equal(WorkflowStatus.Running, described.Status);
        Assert.Contains("AddSearchAttribute(\"Unregistered\"", described.LastTaskFailure, StringComparison.Ordinal);
        Assert.Equal(1, described.HistoryLength);
    }

    [Fact]
    public async Task ChildWorkflow_WithMemoAndAttributes_ListableAndSeenByTheChild()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var closed = await engine.RunAsync(nameof(ParentWithTaggedChild), null, "tags");
        Assert.Equal("c-9", closed.GetResult<string>());

        Assert.Equal("parent", (await engine.Client.DescribeWorkflowAsync("tags-child")).Memo!["origin"].GetString());
        var listed = await ListAsync(engine, new WorkflowListQuery { SearchAttributes = [new("Customer", SearchAttributeOperator.Eq, "c-9")] }, 1);
        Assert.Equal("tags-child", listed.Single().Id);
    }

    [Fact]
    public async Task ContinueAsNew_NewRun_IndexShowsNewRunWithCarriedAttributesAndMemo()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var options = new StartWorkflowOptions
        {
            Id = "can", Memo = new Dictionary<string, object?> { ["owner"] = "ops" }, SearchAttributes = new Dictionary<string, object?> { ["Customer"] = "c-7" },
        };
        var first = await engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(ContinueAsNew: true), options);
        await ListAsync(engine, new WorkflowListQuery { SearchAttributes = [new("Attempts", SearchAttributeOperator.Eq, 1L)] }, 1);

        await engine.Client.SignalWorkflowAsync("can", "advance", null);
        var second = (await ListAsync(engine, new WorkflowListQuery { SearchAttributes = [new("Attempts", SearchAttributeOperator.Ge, 2L)] }, 1)).Single();
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(WorkflowStatus.Running, second.Status);
        Assert.Equal("c-7", second.SearchAttributes["Customer"].GetString());
        Assert.Equal("ops", (await engine.Client.DescribeWorkflowAsync("can")).Memo!["owner"].GetString());
        Assert.Single((await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = "can" })).Items);
    }

    [Fact]
    public async Task VisibilityWrite_FailsAfterCommit_RetriedUntilTheIndexShowsIt()
    {
        var backend = NewBackend();
        var flaky = new FlakyVisibilityStore(backend.Visibility, failures: 3);
        await using var engine = new EngineHarness(Register, backend with { Visibility = flaky });
        // The start's own index write fails: the start still succeeds (its commit stands), and the write is retried.
        await engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), new StartWorkflowOptions { Id = "flaky" });

        var listed = await ListAsync(engine, new WorkflowListQuery { SearchAttributes = [new("Step", SearchAttributeOperator.Eq, "waiting")] }, 1);
        Assert.Equal("flaky", listed.Single().Id);
        Assert.True(flaky.Calls > 3, $"{flaky.Calls} index writes");
    }

    private static Task<IReadOnlyList<WorkflowDescription>> ListAsync(EngineHarness engine, WorkflowListQuery query, int count) =>
        Eventually.WaitAsync(async () => (await engine.Client.ListWorkflowsAsync(query)).Items, items => items.Count == count);
}

public sealed class VisibilityTestsInMemory : VisibilityTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class VisibilityTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : VisibilityTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

/// <summary>Fails its first index writes (after the commit they follow), as a storage outage between the two would.</summary>
internal sealed class FlakyVisibilityStore(IVisibilityStore inner, int failures) : IVisibilityStore
{
    private int calls;

    public int Calls => calls;

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task UpsertAsync(VisibilityRecord record, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref calls) <= failures
            ? throw new StoreException("Injected index write failure.", 503)
            : inner.UpsertAsync(record, cancellationToken);

    public Task<VisibilityPage> QueryAsync(WorkflowListQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    public Task DeleteAsync(string workflowId, long maxVersion, CancellationToken cancellationToken) => inner.DeleteAsync(workflowId, maxVersion, cancellationToken);

    public Task<IReadOnlyList<VisibilityRecord>> FindClosedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken) =>
        inner.FindClosedBeforeAsync(cutoff, max, cancellationToken);
}
