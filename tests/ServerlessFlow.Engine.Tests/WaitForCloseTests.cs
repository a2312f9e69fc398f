using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Tests;

/// <summary>A wait for a workflow's close leaves nothing behind in the process, however it ends, and ends on the close of the run it waits for.</summary>
public sealed class WaitForCloseTests
{
    [Fact]
    public async Task WaitForCloseAsync_CallerGivesUp_LeavesNoWaiter()
    {
        await using var engine = Engine();
        await engine.Client.StartWorkflowAsync(nameof(SuspendableWorkflow), 3_600_000, new StartWorkflowOptions { Id = "long" });
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.Client.WaitForCloseAsync("long", TimeSpan.FromMinutes(5), giveUp.Token));

        Assert.Equal(0, engine.Get<CompletionNotifier>().Waiting);
    }

    [Fact]
    public async Task WaitForCloseAsync_UnknownId_ThrowsAndLeavesNoWaiter()
    {
        await using var engine = Engine();

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.WaitForCloseAsync("nobody", TimeSpan.FromMinutes(1)));

        Assert.Equal(0, engine.Get<CompletionNotifier>().Waiting);
    }

    [Fact]
    public async Task WaitForCloseAsync_CloseOfAnEarlierRunOfTheIdReportedLate_WaitsForTheCurrentRunsClose()
    {
        await using var engine = Engine();
        // On a task queue no worker serves: the runs change only by what the test does.
        var options = new StartWorkflowOptions { Id = "reused", TaskQueue = "nobody" };
        var earlier = await engine.Client.StartWorkflowAsync(nameof(SuspendableWorkflow), 1, options);
        await engine.Client.TerminateWorkflowAsync("reused", "earlier run");
        var earlierClose = (await engine.Backend.Store.ReadInstanceAsync("reused", CancellationToken.None))!;
        var current = await engine.Client.StartWorkflowAsync(nameof(SuspendableWorkflow), 1, options);
        var notifier = engine.Get<CompletionNotifier>();
        var wait = engine.Client.WaitForCloseAsync("reused", TimeSpan.FromSeconds(30));
        await Eventually.WaitAsync(() => Task.FromResult(notifier.Waiting), waiting => waiting == 1);

        // The earlier run's close reaches the notifier only now (its process reported it late), after the waiter read the current run.
        notifier.Committed(earlierClose);
        await engine.Client.TerminateWorkflowAsync("reused", "current run");
        var closed = await wait;

        Assert.Equal(WorkflowStatus.Terminated, earlierClose.Status);
        Assert.Equal(earlier.RunId, earlierClose.RunId);
        Assert.Equal((current.RunId, WorkflowStatus.Terminated, "current run"), (closed.RunId, closed.Status, closed.Failure?.Message));
    }

    private static EngineHarness Engine() =>
        new(b => b.AddWorkflow<SuspendableWorkflow>().AddActivities<SuspendableActivities>(), TestBackend.InMemory());
}
