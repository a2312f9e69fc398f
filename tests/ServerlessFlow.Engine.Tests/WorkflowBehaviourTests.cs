using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

public abstract class WorkflowBehaviourTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b
        .AddWorkflow<CatchesActivityFailure>().AddWorkflow<ThrowsAfterActivity>().AddWorkflow<MissingTimeouts>()
        .AddWorkflow<TimerWorkflow>().AddWorkflow<DeterministicValues>().AddActivities<FlakyActivities>().AddSamples();

    [Fact]
    public async Task ExecuteActivity_ActivityThrows_WorkflowCatchesTypedFailureWithOriginalTypeMessageAndStack()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(CatchesActivityFailure), null);

        Assert.Equal("2|System.InvalidOperationException|boom|True", closed.GetResult<string>());
        var failed = Assert.Single((await engine.Client.GetHistoryAsync(closed.Id)).OfType<ActivityFailed>());
        Assert.Equal(2, failed.Attempt);
    }

    [Fact]
    public async Task Run_WorkflowThrows_FailsWithExceptionTypeMessageAndStack()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(ThrowsAfterActivity), null);

        Assert.Equal(WorkflowStatus.Failed, closed.Status);
        Assert.Equal("System.ArgumentOutOfRangeException", closed.Failure!.Type);
        Assert.Contains("Amount must be positive.", closed.Failure.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ThrowsAfterActivity), closed.Failure.StackTrace, StringComparison.Ordinal);
        var error = Assert.Throws<WorkflowFailedException>(() => closed.GetResult<object>());
        Assert.Equal(WorkflowStatus.Failed, error.Status);
    }

    [Fact]
    public async Task ExecuteActivity_NoCloseTimeout_FailsTaskWithMessageNamingTheFix()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = (await engine.Client.StartWorkflowAsync(nameof(MissingTimeouts), null, new StartWorkflowOptions())).Id;

        // A bug in the code, fixed by deploying corrected code: the task fails and is retried, the workflow stays running.
        var failing = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(id), d => d.LastTaskFailure is not null);

        Assert.Equal(WorkflowStatus.Running, failing.Status);
        Assert.Contains("StartToCloseTimeout", failing.LastTaskFailure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DelayAsync_DurableTimer_FiresAndAdvancesWorkflowTime()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(TimerWorkflow), 300);

        Assert.True(closed.GetResult<double>() >= 300);
        var history = await engine.Client.GetHistoryAsync(closed.Id);
        var started = Assert.Single(history.OfType<TimerStarted>());
        var fired = Assert.Single(history.OfType<TimerFired>());
        Assert.Equal(started.EventId, fired.StartedEventId);
        Assert.InRange(fired.Timestamp - started.FireAt, TimeSpan.Zero, TimeSpan.FromSeconds(1.5)); // fires within about a second of its due time
    }

    [Fact]
    public async Task DelayAsync_EveryWorkerRestartedBeforeItFires_FiresOnTheNewWorker()
    {
        var backend = NewBackend();
        string id;
        await using (var before = new EngineHarness(Register, backend))
        {
            id = (await before.Client.StartWorkflowAsync(nameof(TimerWorkflow), 1500, new StartWorkflowOptions())).Id;
            await Eventually.WaitAsync(() => before.Client.DescribeWorkflowAsync(id), d => d.PendingTimers.Count == 1);
        }

        await using var after = new EngineHarness(Register, backend);
        var closed = await after.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.True(closed.GetResult<double>() >= 1500);
    }

    [Fact]
    public async Task NewGuidAndRandom_ReplayedInFreshExecution_SameValues()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var closed = await engine.RunAsync(nameof(DeterministicValues), null);
        Assert.DoesNotContain("mismatch", closed.GetResult<string>(), StringComparison.Ordinal);

        // A fresh execution replays the recorded start and schedule, then re-runs the last task live.
        var history = await engine.Client.GetHistoryAsync(closed.Id);
        var completed = Assert.IsType<ActivityCompleted>(history[2]);
        var execution = Replaying.New(typeof(DeterministicValues), nameof(DeterministicValues), closed.Id, closed.RunId);
        execution.Replay(history.Take(2).ToList());
        var produced = execution.RunTask([completed with { EventId = 0 }], DateTimeOffset.UtcNow);
        var completion = Assert.IsType<WorkflowCompleted>(produced[^1]);
        Assert.Equal(closed.Result!.Value.GetString(), completion.Result!.Value.GetString());
    }

    [Fact]
    public async Task Terminate_WaitingWorkflow_ClosesAsTerminatedWithReasonAndNoPendingWork()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var handle = await engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), 3_600_000, new StartWorkflowOptions());
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(handle.Id), d => d.PendingTimers.Count == 1);

        Assert.True(await engine.Client.TerminateWorkflowAsync(handle.Id, "operator said so"));
        var closed = await engine.Client.DescribeWorkflowAsync(handle.Id);

        Assert.Equal(WorkflowStatus.Terminated, closed.Status);
        Assert.Equal("operator said so", closed.Failure!.Message);
        Assert.Empty(closed.PendingTimers);
        Assert.IsType<WorkflowTerminated>((await engine.Client.GetHistoryAsync(handle.Id))[^1]);
        Assert.False(await engine.Client.TerminateWorkflowAsync(handle.Id, "again"));
    }

    [Fact]
    public async Task Start_BadRequests_ThrowPreciseExceptions()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        await engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), 3_600_000, new StartWorkflowOptions { Id = "busy" });

        var unknown = await Assert.ThrowsAsync<UnknownWorkflowTypeException>(() => engine.Client.StartWorkflowAsync("Nope", null, new StartWorkflowOptions()));
        Assert.Contains("HelloSequence", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() => engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), 1, new StartWorkflowOptions { Id = "busy" }));
        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), 1, new StartWorkflowOptions { Id = "bad\nid" }));
        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), 1, new StartWorkflowOptions { TaskQueue = "Bad Queue" }));
        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), new string('x', 3 * 1024 * 1024), new StartWorkflowOptions()));
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.DescribeWorkflowAsync("never-started"));
    }

    [Fact]
    public async Task Start_ClosedId_StartsNewRunWithFreshHistory()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var first = await engine.RunAsync("HelloSequence", new HelloInput(1, 1), "reused");

        var second = await engine.RunAsync("HelloSequence", new HelloInput(2, 1), "reused");

        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal([0, 1], second.GetResult<int[]>()!);
        Assert.Equal(2, (await engine.Client.GetHistoryAsync("reused")).OfType<ActivityCompleted>().Count());
    }

    [Fact]
    public async Task AddServerlessFlow_InvalidDefinitions_ReportsEveryProblemAtOnce()
    {
        var error = Assert.Throws<WorkflowDefinitionException>(() => new EngineHarness(b => b.AddWorkflow<NotAWorkflow>().AddWorkflow<TwoRunMethods>().AddActivities<NotAWorkflow>(), NewBackend()));

        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("NotAWorkflow must have exactly one", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("no [Workflow] attribute", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("exactly one public instance method marked [WorkflowRun]; it has 2", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("no public method marked [Activity]", StringComparison.Ordinal));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Handle_BodyIsNotATaskMessage_DeadLettersWithReason()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var outcome = await engine.Get<ITaskHandler>().HandleAsync(new ReceivedMessage("wf-default", "m1", "r1", "{not json", 1), CancellationToken.None);

        var dead = Assert.IsType<TaskOutcome.DeadLetterOutcome>(outcome);
        Assert.Contains("not a ServerlessFlow task message", dead.Reason, StringComparison.Ordinal);
    }
}

public sealed class WorkflowBehaviourTestsInMemory : WorkflowBehaviourTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class WorkflowBehaviourTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : WorkflowBehaviourTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
