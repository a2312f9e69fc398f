using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

public sealed class LifecycleTests
{
    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<CancellableWorkflow>().AddWorkflow<Counter>().AddActivities<FlakyActivities>();

    [Theory]
    [InlineData(false, WorkflowStatus.Canceled)]
    [InlineData(true, WorkflowStatus.Completed)]
    public async Task Cancel_WaitingWorkflow_CodeSeesItAtAwaitRunsCleanupAndEndsAsItChooses(bool handle, WorkflowStatus expected)
    {
        await using var engine = new EngineHarness(Register);
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
        await using var engine = new EngineHarness(Register);
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
