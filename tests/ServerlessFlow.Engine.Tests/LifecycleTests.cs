using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

public abstract class LifecycleTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<CancellableWorkflow>().AddWorkflow<Counter>().AddActivities<FlakyActivities>();

    [Theory]
    [InlineData(false, WorkflowStatus.Canceled)]
    [InlineData(true, WorkflowStatus.Completed)]
    public async Task Cancel_WaitingWorkflow_CodeSeesItAtAwaitRunsCleanupAndEndsAsItChooses(bool handle, WorkflowStatus expected)
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var handleRun = await engine.Client.StartWorkflowAsync(nameof(CancellableWorkflow), handle, new StartWorkflowOptions());
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(handleRun.Id), d => d.PendingTimers.Count == 1);

        Assert.True(await engine.Client.CancelWorkflowAsync(handleRun.Id, "customer left"));
        Assert.True(await engine.Client.CancelWorkflowAsync(handleRun.Id, "again")); // idempotent while open
        var closed = await engine.Client.WaitForCloseAsync(handleRun.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(expected, closed.Status);
        var history = await engine.Client.GetHistoryAsync(handleRun.Id);
        Assert.Equal("customer left", Assert.Single(history.OfType<WorkflowCancelRequested>()).Reason);
        Assert.Single(history.OfType<ActivityCompleted>()); // the cleanup activity ran once
        Assert.Empty(closed.PendingTimers);
        if (handle)
        {
            Assert.Equal("cleaned up", closed.GetResult<string>());
        }
    }

    [Fact]
    public async Task ContinueAsNew_ThreeRuns_SameIdNewRunIdsFreshHistoryFinalResult()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var handle = await engine.Client.StartWorkflowAsync(nameof(Counter), new[] { 0, 3 }, new StartWorkflowOptions { Id = "counter" });

        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(3, closed.GetResult<int>());
        Assert.NotEqual(handle.RunId, closed.RunId);
        var history = await engine.Client.GetHistoryAsync("counter");
        Assert.Equal(2, Assert.IsType<WorkflowStarted>(history[0]).Input!.Value[0].GetInt32());
        Assert.Single(history.OfType<ActivityCompleted>());
    }
}

public abstract class TimerAndLimitTests : EngineSuite
{
    [Fact]
    public async Task DelayAsync_TokenCancelled_TimerCanceledRecordedAndAwaitThrows()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<CancelsTimer>().AddActivities<FlakyActivities>(), NewBackend());

        var closed = await engine.RunAsync(nameof(CancelsTimer), null);

        Assert.Equal("canceled", closed.GetResult<string>());
        var history = await engine.Client.GetHistoryAsync(closed.Id);
        Assert.Equal(Assert.Single(history.OfType<TimerStarted>()).EventId, Assert.Single(history.OfType<TimerCanceled>()).StartedEventId);
        Assert.Empty(history.OfType<TimerFired>());
    }

    [Fact]
    public async Task WaitCondition_SatisfiedBeforeTimeout_CancelsItsTimer()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());
        var handle = await engine.Client.StartWorkflowAsync("LoanApprovalWorkflow", new LoanApplication("ivy", 1m), new StartWorkflowOptions());
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(handle.Id), d => d.PendingTimers.Count == 1);

        await engine.Client.SignalWorkflowAsync(handle.Id, "decide", new LoanDecision(false, "jack"));
        await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Single((await engine.Client.GetHistoryAsync(handle.Id)).OfType<TimerCanceled>());
    }

    [Theory]
    [InlineData(true, "approved")]
    [InlineData(false, "timed out")]
    public async Task WhenAny_ConditionAgainstTimer_WinnerContinuesTheWorkflow(bool approve, string expected)
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<RacesConditionAndTimer>(), NewBackend());
        var id = (await engine.Client.StartWorkflowAsync(nameof(RacesConditionAndTimer), approve ? 60_000 : 300, new StartWorkflowOptions())).Id;
        if (approve)
        {
            await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(id), d => d.PendingTimers.Count == 1);
            await engine.Client.SignalWorkflowAsync(id, "Approve", null);
        }

        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal(expected, closed.GetResult<string>());
    }

    [Fact]
    public async Task Replay_TwoTasksWithoutCommands_DeliveredOneTaskAtATimeLikeTheLiveRun()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<CountsSignals>().AddActivities<FlakyActivities>(), NewBackend());
        var id = (await engine.Client.StartWorkflowAsync(nameof(CountsSignals), null, new StartWorkflowOptions())).Id;
        await engine.Client.SignalWorkflowAsync(id, "Increment", null);
        await Eventually.WaitAsync(() => engine.Client.GetHistoryAsync(id), h => h.OfType<WorkflowSignaled>().Count() == 1);
        await engine.Client.SignalWorkflowAsync(id, "Increment", null);
        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));
        Assert.Equal("one at a time", closed.GetResult<string>());

        // A fresh replay of the whole history (no cache) must agree with what the live run did.
        var history = await engine.Client.GetHistoryAsync(id);
        var execution = Replaying.New(typeof(CountsSignals), nameof(CountsSignals), id, closed.RunId);
        execution.Replay(history);
        Assert.Equal(history[^1].EventId, execution.LastEventId);
    }

    [Fact]
    public async Task HistoryLimit_Exceeded_RunTerminatedWithReasonNamingContinueAsNew()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<Chatty>().ConfigureWorker(o => o with { MaxHistoryEvents = 30, HistoryWarningEvents = 10 }), NewBackend());

        var closed = await engine.RunAsync(nameof(Chatty), null);

        Assert.Equal(WorkflowStatus.Terminated, closed.Status);
        Assert.Contains("History limit exceeded", closed.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("ContinueAsNew", closed.Failure.Message, StringComparison.Ordinal);
        Assert.True(closed.HistoryLength <= 31);
    }
}

public sealed class LifecycleTestsInMemory : LifecycleTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class LifecycleTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : LifecycleTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

public sealed class TimerAndLimitTestsInMemory : TimerAndLimitTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class TimerAndLimitTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : TimerAndLimitTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
