using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

public abstract class ChildHandleTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b
        .AddWorkflow<Collector>().AddWorkflow<ParentSignalsChild>().AddWorkflow<ParentStartsTwice>().AddWorkflow<ParentForgetsChild>()
        .AddWorkflow<Sleeper>().AddWorkflow<Doubler>().AddWorkflow<ExternalSignaller>().AddWorkflow<ExternalCanceller>();

    [Fact]
    public async Task StartChild_SignalledThroughHandle_ChildGetsEachSignalOnceAndParentGetsResult()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(ParentSignalsChild), null, "signals-child");

        Assert.True(closed.Status == WorkflowStatus.Completed, $"{closed.Status}: {closed.Failure?.Message}");
        var parts = closed.GetResult<string>()!.Split('|');
        var child = await engine.Client.DescribeWorkflowAsync(parts[0]);
        Assert.Equal(child.RunId, parts[1]);
        Assert.Equal("7", parts[2]);
        var parentHistory = await engine.Client.GetHistoryAsync("signals-child");
        Assert.Single(parentHistory.OfType<ChildWorkflowStarted>());
        Assert.Equal(3, parentHistory.OfType<ExternalWorkflowSignalRequested>().Count());
        Assert.Equal(3, parentHistory.OfType<ExternalWorkflowRequestCompleted>().Count());
        var signals = (await engine.Client.GetHistoryAsync(parts[0])).OfType<WorkflowSignaled>().ToList();
        Assert.Equal([1, 2, 4], signals.Select(s => s.Input!.Value.GetInt32()));
        Assert.All(signals, s => Assert.StartsWith($"ext-{closed.RunId}-", s.RequestId, StringComparison.Ordinal));

        // Replaying the parent's history with the same code reproduces every command.
        Replaying.New(typeof(ParentSignalsChild), nameof(ParentSignalsChild), "signals-child", closed.RunId).Replay(parentHistory);
    }

    [Fact]
    public async Task StartChild_IdHeldByOpenChild_StartThrowsChildWorkflowFailure()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(ParentStartsTwice), null, "twice");

        Assert.Equal("twice-only|WorkflowAlreadyStarted", closed.GetResult<string>());
        var only = await engine.Client.WaitForCloseAsync("twice-only", TimeSpan.FromSeconds(30));
        Assert.Equal(WorkflowStatus.Terminated, only.Status); // the parent close policy still reaches the child that did start
    }

    [Fact]
    public async Task StartChild_ResultNeverAwaited_ParentCompletesAndLateReportIsConsumed()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(ParentForgetsChild), null, "forgets");

        var childId = closed.GetResult<string>()!;
        var child = await engine.Client.WaitForCloseAsync(childId, TimeSpan.FromSeconds(30));
        Assert.Equal(42, child.GetResult<int>());
        await Eventually.WaitAsync(() => engine.Backend.Store.LoadAsync("forgets", null, 0, CancellationToken.None), s => s!.Inbox.Count == 0);
    }

    [Fact]
    public async Task ExternalSignal_Redelivered_TargetAppliesItOnce()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        await engine.Client.StartWorkflowAsync(nameof(Collector), 2, new StartWorkflowOptions { Id = "target" });

        var sender = await engine.RunAsync(nameof(ExternalSignaller), "target", "sender");
        Assert.Equal(WorkflowStatus.Completed, sender.Status);
        var requested = (await engine.Client.GetHistoryAsync("sender")).OfType<ExternalWorkflowSignalRequested>().Single();
        await Eventually.WaitAsync(() => engine.Client.GetHistoryAsync("target"), h => h.OfType<WorkflowSignaled>().Any());

        // A second delivery of the same request (the queue is at-least-once) must not signal the target again.
        var again = new ExternalRequestMessage { WorkflowId = "sender", RunId = sender.RunId, RequestEventId = requested.EventId };
        Assert.Equal(TaskOutcome.Completed, await engine.Get<ExternalRequestProcessor>().HandleAsync(again, CancellationToken.None));
        await engine.Client.SignalWorkflowAsync("target", "Add", 100);

        var target = await engine.Client.WaitForCloseAsync("target", TimeSpan.FromSeconds(30));
        Assert.Equal(105, target.GetResult<int>());
        Assert.Single((await engine.Client.GetHistoryAsync("target")).OfType<WorkflowSignaled>(), s => s.SignalName == "Add" && s.Input!.Value.GetInt32() == 5);
    }

    [Fact]
    public async Task ExternalCancel_TargetRunning_TargetCanceledAndMissingTargetFailsTheRequest()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        await engine.Client.StartWorkflowAsync(nameof(Sleeper), null, new StartWorkflowOptions { Id = "victim" });

        var closed = await engine.RunAsync(nameof(ExternalCanceller), "victim", "canceller");

        Assert.Equal($"victim-missing|{ExternalRequestProcessor.NotFoundFailureType}", closed.GetResult<string>());
        Assert.Equal(WorkflowStatus.Canceled, (await engine.Client.WaitForCloseAsync("victim", TimeSpan.FromSeconds(30))).Status);
        var history = await engine.Client.GetHistoryAsync("canceller");
        Assert.Single(history.OfType<ExternalWorkflowRequestCompleted>());
        Assert.Single(history.OfType<ExternalWorkflowRequestFailed>());
        Replaying.New(typeof(ExternalCanceller), nameof(ExternalCanceller), "canceller", closed.RunId).Replay(history);
    }
}

public sealed class ChildHandleTestsInMemory : ChildHandleTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class ChildHandleTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : ChildHandleTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
