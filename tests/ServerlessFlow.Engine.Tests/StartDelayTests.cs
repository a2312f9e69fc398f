using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Notes when its code began, then waits for the signal <c>word</c> and returns both.</summary>
[Workflow]
public sealed class DelayedStartWorkflow
{
    private string? word;

    [WorkflowRun]
    public async Task<DelayedStartResult> RunAsync()
    {
        var began = Workflow.UtcNow;
        await Workflow.WaitConditionAsync(() => word is not null);
        return new DelayedStartResult(began, word!);
    }

    [WorkflowSignal("word")]
    public void Word(string value) => word ??= value;
}

public sealed record DelayedStartResult(DateTime BeganAt, string Word);

/// <summary>Returns at once: a run that needs nothing but its start.</summary>
[Workflow]
public sealed class BeginsAndEnds
{
    [WorkflowRun]
    public Task<string> RunAsync() => Task.FromResult("began");
}

/// <summary>A start with <see cref="StartWorkflowOptions.StartDelay"/> on both backends, in real time with short delays.</summary>
public abstract class StartDelayTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<DelayedStartWorkflow>();

    [Fact]
    public async Task StartWorkflowAsync_StartDelay_RunExistsAtOnceAndItsFirstTaskRunsAfterTheDelayWithTheSignalSentMeanwhile()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var delay = TimeSpan.FromSeconds(2);
        var handle = await engine.Client.StartWorkflowAsync(nameof(DelayedStartWorkflow), null, new StartWorkflowOptions { StartDelay = delay });
        var waiting = await engine.Client.DescribeWorkflowAsync(handle.Id);
        await engine.Client.SignalWorkflowAsync(handle.Id, "word", "hello");

        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Running, waiting.Status);
        Assert.Equal(waiting.CreatedAt + delay, waiting.FirstTaskDueAt);
        var result = closed.GetResult<DelayedStartResult>()!;
        Assert.Equal("hello", result.Word);
        Assert.Equal(waiting.FirstTaskDueAt!.Value.UtcDateTime, result.BeganAt); // the code's clock begins at the due time
        var history = await engine.Client.GetHistoryAsync(handle.Id);
        Assert.Equal(delay, Assert.IsType<WorkflowStarted>(history[0]).StartDelay);
        Assert.All(history.Skip(1), e => Assert.True(e.Timestamp >= waiting.FirstTaskDueAt, $"{e.Describe()} at {e.Timestamp:O} ran before the due time"));
        Assert.Contains(history, e => e is WorkflowSignaled { SignalName: "word" });
    }

    [Fact]
    public async Task TerminateWorkflowAsync_DuringStartDelay_ClosesTheRunBeforeAnyCodeRuns()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var handle = await engine.Client.StartWorkflowAsync(nameof(DelayedStartWorkflow), null, new StartWorkflowOptions { StartDelay = TimeSpan.FromHours(1) });
        await engine.Client.SignalWorkflowAsync(handle.Id, "word", "never read");

        Assert.True(await engine.Client.TerminateWorkflowAsync(handle.Id, "not needed after all"));

        var closed = await engine.Client.DescribeWorkflowAsync(handle.Id);
        Assert.Equal(WorkflowStatus.Terminated, closed.Status);
        var history = await engine.Client.GetHistoryAsync(handle.Id);
        Assert.Collection(history, e => Assert.IsType<WorkflowStarted>(e), e => Assert.Equal("not needed after all", Assert.IsType<WorkflowTerminated>(e).Reason));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(365 * 24 * 3600 + 1.0)]
    public async Task StartWorkflowAsync_StartDelayOutOfRange_RefusedAndNothingStarted(double seconds)
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.StartWorkflowAsync(
            nameof(DelayedStartWorkflow), null, new StartWorkflowOptions { Id = "refused-delay", StartDelay = TimeSpan.FromSeconds(seconds) }));

        Assert.Contains("StartDelay", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.DescribeWorkflowAsync("refused-delay"));
    }

    [Fact]
    public async Task Sweep_DelayedStartsWakeUpLost_TheRunBeginsOnceItIsDue()
    {
        // The start's delayed wake-up is sent (the sender is told so) and never arrives: dead-lettered, or deleted from the queue.
        var backend = NewBackend();
        var queues = new HoldingQueues(backend.Queues);
        queues.Hold(message => message is WorkflowTaskMessage { TimerAt: not null });
        await using var engine = new EngineHarness(b => b.AddWorkflow<BeginsAndEnds>(), backend with { Queues = queues });
        var handle = await engine.Client.StartWorkflowAsync(nameof(BeginsAndEnds), null, new StartWorkflowOptions { StartDelay = TimeSpan.FromSeconds(1) });

        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Single(queues.Held); // it never arrived: the recovery sweep began the run
        Assert.All((await engine.Client.GetHistoryAsync(handle.Id)).Skip(1), e => Assert.True(e.Timestamp >= closed.FirstTaskDueAt, $"{e.Describe()} ran before the due time"));
    }

    [Fact]
    public async Task StartWorkflowAsync_ZeroStartDelay_StartsAtOnceWithoutADueTime()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var handle = await engine.Client.StartWorkflowAsync(nameof(DelayedStartWorkflow), null, new StartWorkflowOptions { StartDelay = TimeSpan.Zero });
        await engine.Client.SignalWorkflowAsync(handle.Id, "word", "now");

        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal("now", closed.GetResult<DelayedStartResult>()!.Word);
        Assert.Null(closed.FirstTaskDueAt);
        Assert.Null(Assert.IsType<WorkflowStarted>((await engine.Client.GetHistoryAsync(handle.Id))[0]).StartDelay);
    }
}

public sealed class StartDelayTestsInMemory : StartDelayTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class StartDelayTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : StartDelayTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

/// <summary>Start delays on a fake clock: what the run looks like at instants before its due time, and delays past the 7-day queue limit.</summary>
public sealed class StartDelayOnFakeClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string WorkflowQueue = QueueNames.Workflow("default");

    [Fact]
    public async Task StartWorkflowAsync_TenDayStartDelayAndEagerStart_NothingRunsBeforeDueAcrossTheRearmedLegThenTheSignalIsDelivered()
    {
        var clock = new FakeTimeProvider(Start);
        await using var engine = new EngineHarness(b => b.AddWorkflow<DelayedStartWorkflow>(), TestBackend.InMemory(clock), clock);
        var dueAt = Start + TimeSpan.FromDays(10);

        // Eager start is on (the harness's worker serves the default queue): it must leave the first task to the delayed wake-up.
        var handle = await engine.Client.StartWorkflowAsync(nameof(DelayedStartWorkflow), null, new StartWorkflowOptions { StartDelay = TimeSpan.FromDays(10) });
        await engine.Client.SignalWorkflowAsync(handle.Id, "word", "kept");
        await WaitForOnlyTheStartAsync(engine, Start + Worker.Redelivery.MaxDelay(engine.Get<ITaskQueues>())); // the first leg, capped at the queue's limit
        var atStart = await engine.Client.DescribeWorkflowAsync(handle.Id);

        // Past the queue's 7-day limit: the first leg arrives early and is re-armed for the due time; the sweep leaves the signal waiting.
        clock.Advance(TimeSpan.FromDays(7));
        await WaitForOnlyTheStartAsync(engine, dueAt);
        var atDay7 = await engine.Client.DescribeWorkflowAsync(handle.Id);
        clock.Advance(dueAt - clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        await WaitForOnlyTheStartAsync(engine, dueAt);
        var justBefore = await engine.Client.DescribeWorkflowAsync(handle.Id);

        clock.Advance(TimeSpan.FromSeconds(1));
        var closed = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(handle.Id), d => d.Status != WorkflowStatus.Running);

        Assert.All([atStart, atDay7, justBefore], d => Assert.Equal((WorkflowStatus.Running, 1L, dueAt), (d.Status, d.HistoryLength, d.FirstTaskDueAt!.Value)));
        var result = closed.GetResult<DelayedStartResult>()!;
        Assert.Equal(("kept", dueAt.UtcDateTime), (result.Word, result.BeganAt));
        var history = await engine.Client.GetHistoryAsync(handle.Id);
        Assert.All(history.Skip(1), e => Assert.Equal(dueAt, e.Timestamp));
    }

    [Fact]
    public async Task SignalWithStartAsync_StartDelay_SignalWaitsForTheDueTime()
    {
        var clock = new FakeTimeProvider(Start);
        await using var engine = new EngineHarness(b => b.AddWorkflow<DelayedStartWorkflow>(), TestBackend.InMemory(clock), clock);
        var dueAt = Start + TimeSpan.FromMinutes(30);

        var handle = await engine.Client.SignalWithStartAsync(
            nameof(DelayedStartWorkflow), null, new StartWorkflowOptions { Id = "sws-delayed", StartDelay = TimeSpan.FromMinutes(30) }, "word", "with start");
        await WaitForOnlyTheStartAsync(engine, dueAt);
        var waiting = await engine.Client.DescribeWorkflowAsync(handle.Id);
        clock.Advance(TimeSpan.FromMinutes(30));
        var closed = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(handle.Id), d => d.Status != WorkflowStatus.Running);

        Assert.Equal((WorkflowStatus.Running, 1L), (waiting.Status, waiting.HistoryLength));
        Assert.Equal(("with start", dueAt.UtcDateTime), (closed.GetResult<DelayedStartResult>()!.Word, closed.GetResult<DelayedStartResult>()!.BeganAt));
    }

    [Fact]
    public async Task CancelWorkflowAsync_DuringStartDelay_RequestIsKeptAndTheRunIsCanceledAtItsFirstAwait()
    {
        var clock = new FakeTimeProvider(Start);
        await using var engine = new EngineHarness(b => b.AddWorkflow<DelayedStartWorkflow>(), TestBackend.InMemory(clock), clock);
        var dueAt = Start + TimeSpan.FromHours(2);
        var handle = await engine.Client.StartWorkflowAsync(nameof(DelayedStartWorkflow), null, new StartWorkflowOptions { StartDelay = TimeSpan.FromHours(2) });

        Assert.True(await engine.Client.CancelWorkflowAsync(handle.Id, "changed my mind"));
        await WaitForOnlyTheStartAsync(engine, dueAt);
        var waiting = await engine.Client.DescribeWorkflowAsync(handle.Id);
        clock.Advance(TimeSpan.FromHours(2));
        var closed = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(handle.Id), d => d.Status != WorkflowStatus.Running);

        Assert.Equal((WorkflowStatus.Running, 1L), (waiting.Status, waiting.HistoryLength));
        Assert.Equal(WorkflowStatus.Canceled, closed.Status);
        Assert.Equal("changed my mind", Assert.Single((await engine.Client.GetHistoryAsync(handle.Id)).OfType<WorkflowCancelRequested>()).Reason);
    }

    /// <summary>
    /// Waits until the workflow queue holds nothing but the start's wake-up, visible at <paramref name="visibleAt"/>: every other
    /// message (a signal's wake-up, an early leg) has been handled and deleted, after whatever its handler committed.
    /// </summary>
    private static Task WaitForOnlyTheStartAsync(EngineHarness engine, DateTimeOffset visibleAt) =>
        Eventually.WaitAsync(() => Task.FromResult(engine.Backend.Memory!.Peek(WorkflowQueue)), q => q is [var only] && only.VisibleAt == visibleAt);
}
