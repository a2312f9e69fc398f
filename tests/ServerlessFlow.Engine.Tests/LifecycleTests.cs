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
public sealed class LifecycleTestsOnAzurite(ServerlessFlow.Testing.AzuriteFixture azurite) : LifecycleTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

public sealed class TimerAndLimitTestsInMemory : TimerAndLimitTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class TimerAndLimitTestsOnAzurite(ServerlessFlow.Testing.AzuriteFixture azurite) : TimerAndLimitTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
