using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Waits for a timer, then for a signal, then runs an activity with the signal's value.</summary>
[Workflow]
public sealed class SuspendableWorkflow
{
    private string? received;

    [WorkflowRun]
    public async Task<string> RunAsync(int timerMs)
    {
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(timerMs));
        await Workflow.WaitConditionAsync(() => received is not null);
        return await Workflow.ExecuteActivityAsync(
            (SuspendableActivities a) => a.EchoAsync(received!), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
    }

    [WorkflowSignal("value")]
    public void Value(string value) => received ??= value;
}

public sealed class SuspendableActivities
{
    [Activity]
    public Task<string> EchoAsync(string value) => Task.FromResult("echo " + value);
}

/// <summary>Suspend and resume on the in-memory backend, whose queue shows when every wake-up has been handled.</summary>
public sealed class SuspendResumeTests
{
    private static readonly string WorkflowQueue = QueueNames.Workflow("default");

    [Fact]
    public async Task SuspendWorkflowAsync_TimerAndSignalArriveWhileSuspended_NothingRunsUntilResumeThenBothApply()
    {
        await using var engine = Engine();
        var handle = await engine.Client.StartWorkflowAsync(nameof(SuspendableWorkflow), 300, new StartWorkflowOptions { Id = "held" });
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync("held"), d => d.PendingTimers.Count == 1);

        Assert.True(await engine.Client.SuspendWorkflowAsync("held", "incident 42"));
        await engine.Client.SignalWorkflowAsync("held", "value", "x");
        var suspended = await engine.Client.DescribeWorkflowAsync("held");
        var fireAt = Assert.Single(suspended.PendingTimers);

        // Every wake-up (the timer's, the signal's, the sweep's) handled after the timer came due, and still nothing ran.
        await Eventually.WaitAsync(() => Task.FromResult(DateTimeOffset.UtcNow > fireAt && engine.Backend.Memory!.Peek(WorkflowQueue).Count == 0), done => done);
        var held = await engine.Client.DescribeWorkflowAsync("held");
        Assert.Equal(WorkflowStatus.Running, held.Status);
        Assert.Equal("incident 42", held.Suspension?.Reason);
        Assert.Equal(suspended.HistoryLength, held.HistoryLength);
        Assert.Empty(held.PendingActivities);
        var listed = Assert.Single((await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = "held" })).Items);
        Assert.Equal("incident 42", listed.Suspension?.Reason);

        Assert.True(await engine.Client.ResumeWorkflowAsync("held"));
        var closed = await engine.Client.WaitForCloseAsync("held", TimeSpan.FromSeconds(30));

        Assert.Equal("echo x", closed.GetResult<string>());
        Assert.Null(closed.Suspension);
        var history = await engine.Client.GetHistoryAsync("held");
        var after = history.Where(e => e.EventId > suspended.HistoryLength).ToList();
        Assert.Contains(after, e => e is TimerFired);
        Assert.Contains(after, e => e is WorkflowSignaled { SignalName: "value" });
        Assert.Null((await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = "held" })).Items.Single().Suspension);
        Assert.Equal(handle.RunId, closed.RunId);
    }

    [Fact]
    public async Task SuspendWorkflowAsync_Twice_KeepsTheFirstReasonAndOneResumeReleasesIt()
    {
        await using var engine = Engine();
        await engine.Client.StartWorkflowAsync(nameof(SuspendableWorkflow), 60_000, new StartWorkflowOptions { Id = "twice" });

        Assert.True(await engine.Client.SuspendWorkflowAsync("twice", "first"));
        Assert.True(await engine.Client.SuspendWorkflowAsync("twice", "second"));
        Assert.Equal("first", (await engine.Client.DescribeWorkflowAsync("twice")).Suspension?.Reason);
        Assert.True(await engine.Client.ResumeWorkflowAsync("twice"));
        Assert.True(await engine.Client.ResumeWorkflowAsync("twice"));

        Assert.Null((await engine.Client.DescribeWorkflowAsync("twice")).Suspension);
    }

    [Fact]
    public async Task TerminateWorkflowAsync_Suspended_ClosesItAndShowsNoSuspension()
    {
        await using var engine = Engine();
        await engine.Client.StartWorkflowAsync(nameof(SuspendableWorkflow), 60_000, new StartWorkflowOptions { Id = "stop-held" });
        Assert.True(await engine.Client.SuspendWorkflowAsync("stop-held", null));

        Assert.True(await engine.Client.TerminateWorkflowAsync("stop-held", "done with it"));
        var closed = await engine.Client.DescribeWorkflowAsync("stop-held");

        Assert.Equal(WorkflowStatus.Terminated, closed.Status);
        Assert.Null(closed.Suspension);
        Assert.False(await engine.Client.SuspendWorkflowAsync("stop-held", null));
        Assert.False(await engine.Client.ResumeWorkflowAsync("stop-held"));
    }

    [Fact]
    public async Task SuspendWorkflowAsync_ReasonTooLong_ThrowsAndSuspendsNothing()
    {
        await using var engine = Engine();
        await engine.Client.StartWorkflowAsync(nameof(SuspendableWorkflow), 60_000, new StartWorkflowOptions { Id = "long-reason" });

        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(
            () => engine.Client.SuspendWorkflowAsync("long-reason", new string('r', WorkflowSuspension.MaxReasonLength + 1)));

        Assert.Null((await engine.Client.DescribeWorkflowAsync("long-reason")).Suspension);
    }

    [Fact]
    public async Task SuspendWorkflowAsync_UnknownWorkflow_ThrowsNotFound()
    {
        await using var engine = Engine();

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.SuspendWorkflowAsync("nobody", null));
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.ResumeWorkflowAsync("nobody"));
    }

    private static EngineHarness Engine() =>
        new(b => b.AddWorkflow<SuspendableWorkflow>().AddActivities<SuspendableActivities>(), TestBackend.InMemory());
}
