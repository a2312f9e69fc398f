using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A message accepted while a run closes: the signal is sent through the client (and answered as accepted) after the workflow
/// task that closes the run has loaded, just before its closing commit reaches storage. It must be handled, never discarded
/// with the closed run's inbox, and nothing may be recorded twice.
/// </summary>
public abstract class CloseRaceTests : EngineSuite
{
    internal override TestBackend NewBackend() => NewHookedBackend().Backend;

    /// <summary>A fresh backend whose closing commits the returned hook can get in front of.</summary>
    internal abstract (TestBackend Backend, IBeforeClosingCommit Hook) NewHookedBackend();

    [Fact]
    public async Task Signal_AcceptedBeforeTheClosingCommitOfALoadedTask_IsHandledByTheRun()
    {
        var (backend, hook) = NewHookedBackend();
        await using var engine = new EngineHarness(b => b.AddWorkflow<CollectsSignals>(), backend);
        var id = (await engine.Client.StartWorkflowAsync(nameof(CollectsSignals), null, new StartWorkflowOptions())).Id;
        await engine.Client.SignalWorkflowAsync(id, "add", "early", "early");
        hook.Arm(() => engine.Client.SignalWorkflowAsync(id, "add", "late", "late"));

        await engine.Client.SignalWorkflowAsync(id, "finish", null, "finish");
        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal(1, hook.Fired);
        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("early,late", closed.Result?.GetString());
        await AssertEachRecordedOnceAsync(engine, id, ["early", "finish", "late"]);
    }

    [Fact]
    public async Task Signal_AcceptedBeforeTheClosingCommitOfAnEagerRun_IsHandledByTheRun()
    {
        var (backend, hook) = NewHookedBackend();
        await using var engine = new EngineHarness(b => b.AddWorkflow<SignalsAfterAnActivity>().AddActivities<CloseRaceActivities>(), backend);
        string? id = null;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hook.Arm(async () =>
        {
            await started.Task;
            await engine.Client.SignalWorkflowAsync(id!, "add", "late", "late");
        });

        // Started eagerly: the starter runs the first task, the activity runs in the same process, and the step that closes
        // the run follows from what the task committed last, without a load.
        id = (await engine.Client.StartWorkflowAsync(nameof(SignalsAfterAnActivity), null, new StartWorkflowOptions())).Id;
        started.SetResult();
        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal(1, hook.Fired);
        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("activity done; late", closed.Result?.GetString());
        await AssertEachRecordedOnceAsync(engine, id, ["late"]);
        Assert.Single((await engine.Client.GetHistoryAsync(id)).OfType<ActivityCompleted>());
    }

    [Fact]
    public async Task Signal_AcceptedBeforeAContinueAsNewCommits_IsHandledByTheRunThatReceivedIt()
    {
        var (backend, hook) = NewHookedBackend();
        await using var engine = new EngineHarness(b => b.AddWorkflow<ContinuesWithItsSignals>(), backend);
        var first = await engine.Client.StartWorkflowAsync(nameof(ContinuesWithItsSignals), new SignalCarry(0, []), new StartWorkflowOptions());
        await engine.Client.SignalWorkflowAsync(first.Id, "add", "early", "early");
        hook.Arm(() => engine.Client.SignalWorkflowAsync(first.Id, "add", "late", "late"));

        await engine.Client.SignalWorkflowAsync(first.Id, "finish", null, "finish");
        var closed = await engine.Client.WaitForCloseAsync(first.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(1, hook.Fired);
        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.NotEqual(first.RunId, closed.RunId);
        Assert.Equal("early,late", closed.Result?.GetString()); // handled by the first run, passed on in its continue-as-new input
        var firstRun = await backend.Store.ReadHistoryAsync(first.Id, first.RunId, 0, CancellationToken.None);
        Assert.Equal(["early", "finish", "late"], firstRun.OfType<WorkflowSignaled>().Select(s => s.RequestId).Order(StringComparer.Ordinal));
        Assert.Single(firstRun, e => e is WorkflowContinuedAsNew);
    }

    /// <summary>History is gap-free, holds each signal once and closes once.</summary>
    private static async Task AssertEachRecordedOnceAsync(EngineHarness engine, string id, string[] requestIds)
    {
        var history = await engine.Client.GetHistoryAsync(id);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.EventId));
        Assert.Equal(requestIds, history.OfType<WorkflowSignaled>().Select(s => s.RequestId).Order(StringComparer.Ordinal));
        Assert.Single(history, e => e is WorkflowCompleted);
        Assert.IsType<WorkflowCompleted>(history[^1]);
    }
}

/// <summary>Collects "add" signals until "finish"; returns them in order.</summary>
[Workflow]
public sealed class CollectsSignals
{
    private readonly List<string> received = [];
    private bool finished;

    /// <summary>Runs it.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => finished);
        return string.Join(",", received);
    }

    /// <summary>Adds a value.</summary>
    [WorkflowSignal("add")]
    public Task AddAsync(string value)
    {
        received.Add(value);
        return Task.CompletedTask;
    }

    /// <summary>Ends the run.</summary>
    [WorkflowSignal("finish")]
    public Task FinishAsync()
    {
        finished = true;
        return Task.CompletedTask;
    }
}

/// <summary>The input of <see cref="ContinuesWithItsSignals"/>.</summary>
/// <param name="Generation">0 for the first run.</param>
/// <param name="Received">What earlier runs received.</param>
public sealed record SignalCarry(int Generation, IReadOnlyList<string> Received);

/// <summary>Collects "add" signals until "finish", then continues as new once with them; the second run returns them.</summary>
[Workflow]
public sealed class ContinuesWithItsSignals
{
    private readonly List<string> received = [];
    private bool finished;

    /// <summary>Runs it.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync(SignalCarry carry)
    {
        received.AddRange(carry.Received);
        if (carry.Generation > 0)
        {
            return string.Join(",", received);
        }

        await Workflow.WaitConditionAsync(() => finished);
        throw Workflow.CreateContinueAsNewException((ContinuesWithItsSignals wf) => wf.RunAsync(new SignalCarry(1, received.ToList())));
    }

    /// <summary>Adds a value.</summary>
    [WorkflowSignal("add")]
    public Task AddAsync(string value)
    {
        received.Add(value);
        return Task.CompletedTask;
    }

    /// <summary>Ends the first run.</summary>
    [WorkflowSignal("finish")]
    public Task FinishAsync()
    {
        finished = true;
        return Task.CompletedTask;
    }
}

/// <summary>Runs one activity and returns its result with the signals that reached it by then.</summary>
[Workflow]
public sealed class SignalsAfterAnActivity
{
    private readonly List<string> received = [];

    /// <summary>Runs it.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var done = await Workflow.ExecuteActivityAsync((CloseRaceActivities a) => a.WorkAsync(), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(30) });
        return $"{done}; {string.Join(",", received)}";
    }

    /// <summary>Adds a value.</summary>
    [WorkflowSignal("add")]
    public Task AddAsync(string value)
    {
        received.Add(value);
        return Task.CompletedTask;
    }
}

/// <summary>The activity of <see cref="SignalsAfterAnActivity"/>.</summary>
public sealed class CloseRaceActivities
{
    /// <summary>Returns at once.</summary>
    [Activity]
    public Task<string> WorkAsync() => Task.FromResult("activity done");
}

public sealed class CloseRaceTestsInMemory : CloseRaceTests
{
    internal override (TestBackend Backend, IBeforeClosingCommit Hook) NewHookedBackend()
    {
        var memory = TestBackend.InMemory();
        var hooked = new BeforeClosingStoreCommit(memory.Store);
        return (memory with { Store = hooked }, hooked);
    }
}

[Collection(AzuriteSuite.Name)]
public sealed class CloseRaceTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : CloseRaceTests
{
    internal override (TestBackend Backend, IBeforeClosingCommit Hook) NewHookedBackend()
    {
        var hook = new BeforeClosingTransaction();
        return (TestBackend.Azure(azurite, hook.Hook), hook);
    }
}
