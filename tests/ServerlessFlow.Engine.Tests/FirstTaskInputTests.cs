using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Input that reaches a workflow before its first task ran (a cancel, a signal, an update): the first task runs the
/// code to its first await, then hands the input over, as if it had arrived a moment later.
/// </summary>
public abstract class FirstTaskInputTests : EngineSuite
{
    /// <summary>A task queue no worker serves until the test starts one: the input is surely in the inbox before the first task.</summary>
    private const string HeldQueue = "held";

    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(nameof(AwaitsFinish), null)]               // waits on a condition: its first task records nothing
    [InlineData(nameof(CancellableWorkflow), false)]       // starts a timer in its first task
    public async Task Cancel_BeforeFirstTask_CodeSeesItAtFirstAwaitRunsCleanupAndEndsCanceled(string workflowType, bool? input)
    {
        var backend = NewBackend();
        await using var starter = new EngineHarness(Register, backend);
        var handle = await starter.Client.StartWorkflowAsync(workflowType, input, new StartWorkflowOptions { TaskQueue = HeldQueue });
        Assert.True(await starter.Client.CancelWorkflowAsync(handle.Id, "before it ran"));

        await using var worker = new EngineHarness(ServingHeldQueue, backend);
        var closed = await worker.Client.WaitForCloseAsync(handle.Id, CloseWait);

        Assert.Equal(WorkflowStatus.Canceled, closed.Status);
        Assert.Empty(closed.PendingTimers);
        var history = await worker.Client.GetHistoryAsync(handle.Id);
        Assert.Equal("before it ran", Assert.Single(history.OfType<WorkflowCancelRequested>()).Reason);
        var cleanup = Assert.Single(history.OfType<ActivityCompleted>());
        Assert.True(history.OfType<ActivityScheduled>().Single(s => s.EventId == cleanup.ScheduledEventId).EventId > history.OfType<WorkflowCancelRequested>().Single().EventId);
    }

    [Fact]
    public async Task Signal_BeforeFirstTask_HandledOnceAfterTheCodeWaits()
    {
        var backend = NewBackend();
        await using var starter = new EngineHarness(Register, backend);
        var handle = await starter.Client.StartWorkflowAsync(nameof(AwaitsFinish), null, new StartWorkflowOptions { TaskQueue = HeldQueue });
        await starter.Client.SignalWorkflowAsync(handle.Id, "finish", "ann", requestId: "finish-1");
        await starter.Client.SignalWorkflowAsync(handle.Id, "finish", "bob", requestId: "finish-1"); // same request ID: a no-op

        await using var worker = new EngineHarness(ServingHeldQueue, backend);
        var closed = await worker.Client.WaitForCloseAsync(handle.Id, CloseWait);

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("finished by ann", closed.GetResult<string>());
        Assert.Single((await worker.Client.GetHistoryAsync(handle.Id)).OfType<WorkflowSignaled>());
    }

    [Fact]
    public async Task Update_BeforeFirstTask_AppliedAndAnswered()
    {
        var backend = NewBackend();
        await using var starter = new EngineHarness(Register, backend);
        var handle = await starter.Client.StartWorkflowAsync(nameof(AwaitsFinish), null, new StartWorkflowOptions { TaskQueue = HeldQueue });
        var update = starter.Client.UpdateWorkflowAsync(handle.Id, "finish-now", "cy", "update-1", CloseWait);
        await Eventually.WaitAsync(() => backend.Store.LoadAsync(handle.Id, null, 0, CancellationToken.None), s => s!.Inbox.Count == 1);

        await using var worker = new EngineHarness(ServingHeldQueue, backend);
        var answer = await update;
        var closed = await worker.Client.WaitForCloseAsync(handle.Id, CloseWait);

        Assert.Equal("accepted from cy", answer?.GetString());
        Assert.Equal("finished by cy", closed.GetResult<string>());
        var history = await worker.Client.GetHistoryAsync(handle.Id);
        Assert.Single(history.OfType<WorkflowUpdateAccepted>());
        Assert.Single(history.OfType<WorkflowUpdateCompleted>());
    }

    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<AwaitsFinish>().AddWorkflow<CancellableWorkflow>().AddActivities<FlakyActivities>();

    private static void ServingHeldQueue(ServerlessFlowBuilder b) => Register(b.ConfigureWorker(o => o with { TaskQueues = [HeldQueue] }));
}

public sealed class FirstTaskInputTestsInMemory : FirstTaskInputTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class FirstTaskInputTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : FirstTaskInputTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
