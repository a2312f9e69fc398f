using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>One workflow task that schedules (or abandons) more activities than one 100-operation transaction holds.</summary>
public abstract class LargeFanOutTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<FansOutAndCollects>().AddWorkflow<AbandonsMany>().AddActivities<ReliableActivities>();

    [Fact]
    public async Task FanOut_OneTaskSchedulesAThousandActivities_CompletesWithEveryResultAndExactHistory()
    {
        const int count = 1000;
        await using var engine = new EngineHarness(Register, NewBackend());
        var handle = await engine.Client.StartWorkflowAsync(nameof(FansOutAndCollects), count, new StartWorkflowOptions());

        var closed = await engine.WaitForCloseWhileProgressingAsync(handle.Id);

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"step {i}"), closed.GetResult<string[]>());
        var history = await engine.Client.GetHistoryAsync(handle.Id);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.EventId));
        var scheduled = history.OfType<ActivityScheduled>().ToList();
        Assert.Equal(count, scheduled.Count);
        Assert.Equal(scheduled.Select(s => s.EventId), history.OfType<ActivityCompleted>().Select(c => c.ScheduledEventId).Order());
        Assert.All(ReliableActivities.Journal[handle.Id].GroupBy(entry => entry), run => Assert.Single(run));
        Assert.Empty(await engine.Backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None));
    }

    [Fact]
    public async Task Close_WithThreeHundredActivitiesPending_CommitsAndDeletesEveryActivityRow()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var handle = await engine.Client.StartWorkflowAsync(nameof(AbandonsMany), 300, new StartWorkflowOptions());

        var closed = await engine.WaitForCloseWhileProgressingAsync(handle.Id);

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(300, (await engine.Client.GetHistoryAsync(handle.Id)).OfType<ActivityScheduled>().Count());
        Assert.Empty(await engine.Backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None));
    }
}

public sealed class LargeFanOutTestsInMemory : LargeFanOutTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class LargeFanOutTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : LargeFanOutTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

[Workflow]
public sealed class FansOutAndCollects
{
    [WorkflowRun]
    public async Task<string[]> RunAsync(int count)
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1) };
        return await Task.WhenAll(Enumerable.Range(0, count).Select(i => Workflow.ExecuteActivityAsync((ReliableActivities a) => a.Count(i), options)));
    }
}

/// <summary>Schedules activities that hang, then closes without waiting for them: its closing commit abandons them all.</summary>
[Workflow]
public sealed class AbandonsMany
{
    [WorkflowRun]
    public async Task RunAsync(int count)
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5), RetryPolicy = new RetryPolicy { MaximumAttempts = 1 } };
        _ = Enumerable.Range(0, count).Select(_ => Workflow.ExecuteActivityAsync((ReliableActivities a) => a.HangFirstAsync(false), options)).ToList();
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(100));
    }
}
