using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

public abstract class ChildWorkflowTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b
        .AddWorkflow<Doubler>().AddWorkflow<BrokenChild>().AddWorkflow<Sleeper>().AddWorkflow<FanOut>()
        .AddWorkflow<ParentOfBroken>().AddWorkflow<ParentLeavesChild>().AddWorkflow<ChildInEveryRun>()
        .AddWorkflow<ParentOfNamedChild>().AddWorkflow<ParentOfContinuingChild>().AddWorkflow<ContinuingSleeper>();

    [Fact]
    public async Task ExecuteChild_Completes_TypedResultDeterministicIdAndOwnHistory()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(FanOut), 3, "parent");

        Assert.Equal(12L, closed.GetResult<long>());
        var scheduled = (await engine.Client.GetHistoryAsync("parent")).OfType<ChildWorkflowScheduled>().ToList();
        Assert.Equal(3, scheduled.Count);
        Assert.All(scheduled, s => Assert.Equal($"parent-child-{closed.RunId}-{s.EventId}", s.ChildWorkflowId));
        var child = await engine.Client.DescribeWorkflowAsync(scheduled[0].ChildWorkflowId);
        Assert.Equal(WorkflowStatus.Completed, child.Status);
        Assert.Equal(2, child.GetResult<int>());
    }

    [Fact]
    public async Task ExecuteChild_ChildFails_ParentCatchesTypedFailure()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(ParentOfBroken), null, "p-broken");

        Assert.Equal($"p-broken-child-{closed.RunId}-2|Failed|System.InvalidOperationException|child broke", closed.GetResult<string>());
    }

    [Theory]
    [InlineData(ParentClosePolicy.Terminate, WorkflowStatus.Terminated)]
    [InlineData(ParentClosePolicy.RequestCancel, WorkflowStatus.Canceled)]
    [InlineData(ParentClosePolicy.Abandon, WorkflowStatus.Running)]
    public async Task ParentCloses_ChildOpen_ParentClosePolicyApplies(ParentClosePolicy policy, WorkflowStatus expected)
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var parent = (await engine.Client.StartWorkflowAsync(nameof(ParentLeavesChild), policy, new StartWorkflowOptions { Id = $"leaver-{policy}" })).Id;
        var childId = parent + "-sleeper";
        await Eventually.WaitAsync(async () => (await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = childId })).Items.Count == 1, found => found);
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(childId), child => child.PendingTimers.Count == 1);

        await engine.Client.SignalWorkflowAsync(parent, "Finish", null);
        Assert.Equal(WorkflowStatus.Completed, (await engine.Client.WaitForCloseAsync(parent, TimeSpan.FromSeconds(30))).Status);

        var child = expected == WorkflowStatus.Running
            ? await engine.Client.DescribeWorkflowAsync(childId)
            : await engine.Client.WaitForCloseAsync(childId, TimeSpan.FromSeconds(30));
        Assert.Equal(expected, child.Status);

        // The closed child reports to its closed parent; the report is consumed, not left in the parent's inbox forever.
        await Eventually.WaitAsync(() => engine.Backend.Store.LoadAsync(parent, null, 0, CancellationToken.None), s => s!.Inbox.Count == 0);
    }

    [Fact]
    public async Task ExecuteChild_DefaultIdAfterContinueAsNew_DoesNotCollideWithThePreviousRunsChild()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = (await engine.Client.StartWorkflowAsync(nameof(ChildInEveryRun), 1, new StartWorkflowOptions { Id = "chain" })).Id;
        var first = await Eventually.WaitAsync(
            async () => (await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = "chain-child-" })).Items, items => items.Count == 1);
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(first[0].Id), child => child.PendingTimers.Count == 1);

        await engine.Client.SignalWorkflowAsync(id, "Next", null);
        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.True(closed.Status == WorkflowStatus.Completed, $"{closed.Status}: {closed.Failure?.Message}");
        Assert.Equal(42, closed.GetResult<int>());
        var children = (await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = "chain-child-" })).Items;
        Assert.Equal(2, children.Select(c => c.Id).Distinct().Count());
        Assert.Equal(WorkflowStatus.Running, (await engine.Client.DescribeWorkflowAsync(first[0].Id)).Status);
    }

    [Fact]
    public async Task ChildClosed_ChildIdReusedBeforeTheReportIsHandled_ParentStillGetsTheChildsResult()
    {
        var backend = NewBackend();
        var queues = new HoldingQueues(backend.Queues);
        await using var engine = new EngineHarness(Register, backend with { Queues = queues });
        queues.Hold(m => m is ChildClosedMessage);
        var parent = (await engine.Client.StartWorkflowAsync(nameof(ParentOfNamedChild), 21, new StartWorkflowOptions { Id = "reporter" })).Id;
        await Eventually.WaitAsync(() => Task.FromResult(queues.Held.Count), held => held == 1);

        // The child closed; before its report reaches the parent, a new run takes the child's ID.
        var reused = await engine.Client.StartWorkflowAsync(nameof(Sleeper), null, new StartWorkflowOptions { Id = parent + "-kid" });
        Assert.Equal(WorkflowStatus.Running, (await engine.Client.DescribeWorkflowAsync(reused.Id)).Status);
        await queues.ReleaseAsync();
        var closed = await engine.Client.WaitForCloseAsync(parent, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(42, closed.GetResult<int>());
        Assert.Equal(WorkflowStatus.Running, (await engine.Client.DescribeWorkflowAsync(reused.Id)).Status);
    }

    [Theory]
    [InlineData(ParentClosePolicy.Terminate, WorkflowStatus.Terminated)]
    [InlineData(ParentClosePolicy.RequestCancel, WorkflowStatus.Canceled)]
    public async Task ParentCloses_ChildBetweenRunsOfContinueAsNew_PolicyReachesTheChildsNextRun(ParentClosePolicy policy, WorkflowStatus expected)
    {
        var backend = NewBackend();
        var queues = new HoldingQueues(backend.Queues);
        await using var engine = new EngineHarness(Register, backend with { Queues = queues });
        var parent = (await engine.Client.StartWorkflowAsync(nameof(ParentOfContinuingChild), policy, new StartWorkflowOptions { Id = $"between-{policy}" })).Id;
        var child = parent + "-kid";
        var firstRun = await Eventually.WaitAsync(() => DescribeIfStartedAsync(engine.Client, child), d => d is { Status: WorkflowStatus.Running });
        // Every wake-up of its first run has been handled (its start may send several): no task of this process owns it now, so
        // none goes on from the continue-as-new below into the next run.
        await Eventually.WaitAsync(
            () => Task.FromResult(queues.Finished(m => m is WorkflowTaskMessage wake && wake.WorkflowId == child)), finished => finished);

        // Its first task ran, so only the signal wakes it now. It continues as new, and the wake-up that starts its next run
        // is late (as is any wake-up of the sweep): it stays between two runs.
        queues.Hold(m => m is WorkflowTaskMessage { RunId: null } wake && wake.WorkflowId == child);
        await engine.Client.SignalWorkflowAsync(child, "Next", null);
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(child), d => d.Status == WorkflowStatus.ContinuedAsNew);

        // The parent closes, and its policy message is handled while the child is between runs.
        await engine.Client.SignalWorkflowAsync(parent, "Finish", null);
        Assert.Equal(WorkflowStatus.Completed, (await engine.Client.WaitForCloseAsync(parent, TimeSpan.FromSeconds(30))).Status);
        await Eventually.WaitAsync(() => Task.FromResult(queues.Settled), settled => settled.Any(m => m is ParentClosedMessage closed && closed.WorkflowId == child));
        await queues.ReleaseAsync();
        var closed = await engine.Client.WaitForCloseAsync(child, TimeSpan.FromSeconds(30));

        Assert.Equal(expected, closed.Status);
        Assert.NotEqual(firstRun!.RunId, closed.RunId);
    }

    internal static async Task<WorkflowDescription?> DescribeIfStartedAsync(IWorkflowClient client, string workflowId)
    {
        try
        {
            return await client.DescribeWorkflowAsync(workflowId);
        }
        catch (WorkflowNotFoundException)
        {
            return null;
        }
    }

    [Fact]
    public async Task FanOut_ThousandChildren_AllCompleteNothingLost()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var handle = await engine.Client.StartWorkflowAsync(nameof(FanOut), 1000, new StartWorkflowOptions { Id = "big-fan" });
        // Minutes on a loaded machine, so no wall-clock deadline: a child lost (never started, never run, or its close never
        // reported) stops all progress, and that fails the test.
        var closed = await engine.WaitForCloseWhileProgressingAsync(handle.Id);

        Assert.Equal(1000L * 1001, closed.GetResult<long>());
        var history = await engine.Client.GetHistoryAsync("big-fan");
        Assert.Equal(1000, history.OfType<ChildWorkflowCompleted>().Select(c => c.ScheduledEventId).Distinct().Count());
        Assert.Equal(history.Select((_, i) => (long)i + 1), history.Select(e => e.EventId));
    }
}

public sealed class ChildWorkflowTestsInMemory : ChildWorkflowTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class ChildWorkflowTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : ChildWorkflowTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
