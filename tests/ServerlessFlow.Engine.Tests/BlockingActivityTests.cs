namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// An activity that blocks its thread (a synchronous activity, or one that does CPU work before its first await) through the
/// activity queue: it must hold only its own slot, never the poller that receives the other messages. On the in-memory backend
/// every store and queue call completes at once, so a handler started on the poller's thread ran there up to the activity.
/// </summary>
public abstract class BlockingActivityTests
{
    internal abstract TestBackend NewBackend();

    private static void Register(ServerlessFlowBuilder b) =>
        b.AddWorkflow<FansOutBatches>().AddActivities<BatchActivities>()
            // Nothing eager: each workflow's one activity goes through the activity queue as a message of its own.
            .ConfigureWorker(o => o with { MaxConcurrentActivities = 2, EagerStart = false, EagerExecutionBudget = TimeSpan.Zero });

    [Fact]
    public async Task Queued_AnActivityBlocksItsThread_AnotherWorkflowsActivityRunsMeanwhile()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var blocked = await engine.Client.StartWorkflowAsync(nameof(FansOutBatches), new BatchInput(1, 0, false, 600_000, BlockedOn: [0]), new StartWorkflowOptions());
        try
        {
            await Eventually.WaitAsync(() => Task.FromResult(BatchActivities.JournalOf(blocked.Id)), journal => journal.Contains("0/1"));
            var other = await engine.Client.StartWorkflowAsync(nameof(FansOutBatches), new BatchInput(1, 0, false, 600_000), new StartWorkflowOptions());

            var closed = await engine.Client.WaitForCloseAsync(other.Id, TimeSpan.FromMinutes(1));

            Assert.Equal(WorkflowStatus.Completed, closed.Status);
            Assert.Equal(["0/1"], BatchActivities.JournalOf(blocked.Id));
        }
        finally
        {
            BatchActivities.BlockOf(blocked.Id).Set();
        }

        Assert.Equal(WorkflowStatus.Completed, (await engine.Client.WaitForCloseAsync(blocked.Id, TimeSpan.FromMinutes(1))).Status);
    }
}

public sealed class BlockingActivityTestsInMemory : BlockingActivityTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class BlockingActivityTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : BlockingActivityTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
