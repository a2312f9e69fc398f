using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Tests;

/// <summary>A wait for a workflow's close leaves nothing behind in the process, however it ends.</summary>
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

    private static EngineHarness Engine() =>
        new(b => b.AddWorkflow<SuspendableWorkflow>().AddActivities<SuspendableActivities>(), TestBackend.InMemory());
}
