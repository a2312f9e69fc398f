using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>A wait sees a close made by another process (another engine on the same storage), whose commits it is not told of.</summary>
public abstract class WaitForCloseElsewhereTests : EngineSuite
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<GatedSteps>().AddActivities<GatedActivities>();

    [Fact]
    public async Task WaitForCloseAsync_WorkflowRunByAnotherEngine_SeesItsClose()
    {
        var backend = NewBackend();
        var id = "elsewhere-" + Guid.NewGuid().ToString("N");
        await using var runner = new EngineHarness(b => Register(b.ConfigureWorker(o => o with { TaskQueues = ["elsewhere"] })), backend);
        await using var waiter = new EngineHarness(Register, backend);
        GatedActivities.Open(id);

        await waiter.Client.StartWorkflowAsync(nameof(GatedSteps), "far:", new StartWorkflowOptions { Id = id, TaskQueue = "elsewhere" });
        var closed = await waiter.Client.WaitForCloseAsync(id, Deadline);

        Assert.Equal((WorkflowStatus.Completed, "far:gate 0 1"), (closed.Status, closed.GetResult<string>()));
    }

    [Fact]
    public async Task WaitForCloseAsync_RunHereTerminatedByAnotherEngine_SeesTheTermination()
    {
        var backend = NewBackend();
        var id = "taken-" + Guid.NewGuid().ToString("N");
        await using var other = new EngineHarness(b => Register(b.ConfigureWorker(o => o with { TaskQueues = ["unused"] })), backend);
        await using var engine = new EngineHarness(Register, backend);
        try
        {
            await engine.Client.StartWorkflowAsync(nameof(GatedSteps), "here:", new StartWorkflowOptions { Id = id });
            await GatedActivities.ReachedAsync(id).WaitAsync(Deadline);

            // The wait begins while this process runs the workflow (its start and first task committed here); the close is made elsewhere.
            var waiting = engine.Client.WaitForCloseAsync(id, Deadline);
            Assert.True(await other.Client.TerminateWorkflowAsync(id, "from the other engine"));
            var closed = await waiting;

            Assert.Equal(WorkflowStatus.Terminated, closed.Status);
            Assert.Equal("from the other engine", closed.Failure?.Message);
        }
        finally
        {
            GatedActivities.Open(id);
        }
    }
}

public sealed class WaitForCloseElsewhereTestsInMemory : WaitForCloseElsewhereTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class WaitForCloseElsewhereTestsOnAzurite(AzuriteFixture azurite) : WaitForCloseElsewhereTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
