using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

public abstract class CancellationDeliveryTests : EngineSuite
{
    [Fact]
    public async Task Cancel_ArrivesInTheTaskThatDeliversAnOutcome_NextAwaitThrowsAndCleanupRuns()
    {
        var backend = NewBackend();
        string id;
        await using (var workflows = new EngineHarness(b => b.AddWorkflow<WaitsAnHourAfterItsActivity>().AddActivities<ReliableActivities>(), backend))
        {
            id = (await workflows.Client.StartWorkflowAsync(nameof(WaitsAnHourAfterItsActivity), null, new StartWorkflowOptions())).Id;
            // Scheduled and its message sent (the outbox cleared): the commit shows the activity pending before its outbox goes out, and
            // a worker stopped in between leaves the message unsent, which no process below would send (none serves the workflow's queue).
            await Eventually.WaitAsync(() => backend.Store.ReadInstanceAsync(id, CancellationToken.None), i => i is { PendingActivities.Count: 1, OutboxPending: false });
        }

        // No workflow worker now: the activity's outcome, then the cancel request, wait in the inbox for one task.
        await using (var activities = new EngineHarness(
            b => b.AddWorkflow<WaitsAnHourAfterItsActivity>().AddActivities<ReliableActivities>().ConfigureWorker(o => o with { TaskQueues = ["held"] }), backend))
        {
            await Eventually.WaitAsync(() => backend.Store.LoadAsync(id, null, 0, CancellationToken.None), s => s!.Inbox.Count == 1);
            Assert.True(await activities.Client.CancelWorkflowAsync(id));
            await Eventually.WaitAsync(() => backend.Store.LoadAsync(id, null, 0, CancellationToken.None), s => s!.Inbox.Count == 2);
        }

        await using var again = new EngineHarness(b => b.AddWorkflow<WaitsAnHourAfterItsActivity>().AddActivities<ReliableActivities>(), backend);
        var closed = await again.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Canceled, closed.Status);
        var history = await again.Client.GetHistoryAsync(id);
        Assert.Empty(history.OfType<TimerStarted>()); // the hour-long wait was never begun
        Assert.Equal(2, history.OfType<ActivityCompleted>().Count()); // the work, then the cleanup
    }
}

/// <summary>Runs an activity, then waits an hour; when cancelled, runs a cleanup activity and ends canceled.</summary>
[Workflow]
public sealed class WaitsAnHourAfterItsActivity
{
    private static readonly ActivityOptions Held = new() { StartToCloseTimeout = TimeSpan.FromSeconds(30), TaskQueue = "held" };

    /// <summary>Runs it.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        try
        {
            await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.BrieflyBusyAsync(), Held);
            await Workflow.DelayAsync(TimeSpan.FromHours(1));
            return "not canceled";
        }
        catch (WorkflowCanceledException)
        {
            await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.BrieflyBusyAsync(), Held with { TaskQueue = null });
            throw;
        }
    }
}

public sealed class CancellationDeliveryTestsInMemory : CancellationDeliveryTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class CancellationDeliveryTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : CancellationDeliveryTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
