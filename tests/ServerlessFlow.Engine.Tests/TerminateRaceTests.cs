using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Two terminations of one run at once: one is recorded, the other finds the run closed (found by the chaos suite, seed 1976703458).</summary>
public sealed class TerminateRaceTests
{
    [Fact]
    public async Task Terminate_RunClosedBetweenItsReadAndItsLoad_RecordsOneTerminationAndReturnsFalse()
    {
        var memory = TestBackend.InMemory();
        var hooked = new BeforeClosingStoreCommit(memory.Store);
        await using var engine = new EngineHarness(b => b.AddWorkflow<CollectsSignals>(), memory with { Store = hooked });
        // On a task queue no worker serves, so that the only load is the termination's own.
        var id = (await engine.Client.StartWorkflowAsync(nameof(CollectsSignals), null, new StartWorkflowOptions { TaskQueue = "nobody" })).Id;
        var first = false;
        hooked.ArmBeforeLoad(async () => first = await engine.Client.TerminateWorkflowAsync(id, "first"));

        var second = await engine.Client.TerminateWorkflowAsync(id, "second");

        Assert.Equal(1, hooked.Fired);
        Assert.Equal((true, false), (first, second));
        var history = await engine.Client.GetHistoryAsync(id);
        Assert.Equal("first", Assert.Single(history.OfType<WorkflowTerminated>()).Reason);
        Assert.IsType<WorkflowTerminated>(history[^1]);
    }
}
