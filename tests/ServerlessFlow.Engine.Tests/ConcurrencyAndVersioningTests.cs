using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

public abstract class ConcurrencyAndVersioningTests : EngineSuite
{
    [Fact]
    public async Task WorkflowTask_IncompatibleCodeDeployed_FailsTaskKeepsHistoryAndFixedCodeContinues()
    {
        var backend = NewBackend();
        string id;
        await using (var v1 = new EngineHarness(b => b.AddWorkflow<VersionedV1>().AddActivities<FlakyActivities>(), backend))
        {
            id = (await v1.Client.StartWorkflowAsync("Versioned", null, new StartWorkflowOptions())).Id;
            await Eventually.WaitAsync(() => v1.Client.DescribeWorkflowAsync(id), d => d.PendingActivities.Count == 1);
        }

        await using (var v2 = new EngineHarness(b => b.AddWorkflow<VersionedV2>().AddActivities<FlakyActivities>().ConfigureWorker(o => o with { TaskQueues = ["default", "held"] }), backend))
        {
            var failed = await Eventually.WaitAsync(() => v2.Client.DescribeWorkflowAsync(id), d => d.LastTaskFailure is not null);

            Assert.Equal(WorkflowStatus.Running, failed.Status);
            Assert.Contains("history recorded ActivityScheduled 'Echo' at event 2; the code now did ScheduleActivity 'CountCall'", failed.LastTaskFailure, StringComparison.Ordinal);
            var history = await v2.Client.GetHistoryAsync(id);
            Assert.Equal(2, history.Count); // untouched: the completion waits in the inbox
        }

        await using var fixedCode = new EngineHarness(b => b.AddWorkflow<VersionedV1>().AddActivities<FlakyActivities>().ConfigureWorker(o => o with { TaskQueues = ["default", "held"] }), backend);
        var closed = await fixedCode.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal("held+done", closed.GetResult<string>());
        Assert.Null(closed.LastTaskFailure);
    }

    [Fact]
    public async Task WorkflowTask_TwoEnginesRaceOnSameWorkflows_NoEventAppliedTwiceNoLostUpdate()
    {
        var backend = NewBackend();
        await using var a = new EngineHarness(b => b.AddSamples(), backend);
        await using var b = new EngineHarness(b => b.AddSamples(), backend);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await a.Client.StartWorkflowAsync("HelloSequence", new HelloInput(5, 1), new StartWorkflowOptions())).Id);
        }

        // Hammer every workflow with duplicate wake-ups through both engines' handlers while their workers also run.
        var handlers = new[] { a.Get<ITaskHandler>(), b.Get<ITaskHandler>() };
        var storms = ids.SelectMany(id => Enumerable.Range(0, 20).Select(n => Task.Run(() => handlers[n % 2].HandleAsync(
            new ReceivedMessage("wf-default", $"dup-{n}", "r", new WorkflowTaskMessage { WorkflowId = id }.ToJson(), 1), CancellationToken.None))));
        await Task.WhenAll(storms);

        foreach (var id in ids)
        {
            var closed = await a.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));
            Assert.Equal([0, 1, 2, 3, 4], closed.GetResult<int[]>()!);
            var history = await b.Client.GetHistoryAsync(id);
            Assert.Equal(history.Select((_, i) => (long)i + 1), history.Select(e => e.EventId));
            Assert.Equal(5, history.OfType<ActivityCompleted>().Count());
            Assert.Equal(5, history.OfType<ActivityScheduled>().Select(s => s.EventId).Distinct().Count());
            Assert.Single(history.OfType<WorkflowCompleted>());
        }
    }
}

public sealed class ConcurrencyAndVersioningTestsInMemory : ConcurrencyAndVersioningTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class ConcurrencyAndVersioningTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : ConcurrencyAndVersioningTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
