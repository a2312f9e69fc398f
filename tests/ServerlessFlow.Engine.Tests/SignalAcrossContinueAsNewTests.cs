using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// As in Temporal, a signal is applied exactly once to the workflow ID's current run: a retry (same request ID) of a signal an earlier
/// run of a continue-as-new chain applied is acknowledged and not applied again, and a signal sent while the run continues as new
/// reaches the new run — never refused, never lost.
/// </summary>
public abstract class SignalAcrossContinueAsNewTests : EngineSuite
{
    [Fact]
    public async Task Signal_RetriedAfterTheRunThatAppliedItContinuedAsNew_IsAcknowledgedAndNotAppliedAgain()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<CountsSignalsPerRun>(), NewBackend());
        var first = await engine.Client.StartWorkflowAsync(nameof(CountsSignalsPerRun), new SignalRuns(0, ""), new StartWorkflowOptions());
        await engine.Client.SignalWorkflowAsync(first.Id, "add", "x", "request-x");
        await engine.Client.SignalWorkflowAsync(first.Id, "next", null, "next");
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(first.Id), d => d.RunId != first.RunId && d.Status == WorkflowStatus.Running);

        await engine.Client.SignalWorkflowAsync(first.Id, "add", "x", "request-x"); // the caller retries: its first answer was lost
        await engine.Client.SignalWorkflowAsync(first.Id, "add", "y", "request-y");
        await engine.Client.SignalWorkflowAsync(first.Id, "finish", null, "finish");
        var closed = await engine.Client.WaitForCloseAsync(first.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("first run: x; second run: y", closed.Result?.GetString());
        var secondRun = await engine.Backend.Store.ReadHistoryAsync(first.Id, closed.RunId, 0, CancellationToken.None);
        Assert.DoesNotContain(secondRun.OfType<WorkflowSignaled>(), s => s.RequestId == "request-x");
    }
}

public sealed class SignalAcrossContinueAsNewTestsInMemory : SignalAcrossContinueAsNewTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();

    [Fact]
    public async Task Signal_ItsRunContinuesAsNewBetweenTheReadAndTheInsert_ReachesTheNewRun()
    {
        var memory = TestBackend.InMemory();
        var hooked = new BeforeClosingStoreCommit(memory.Store);
        await using var engine = new EngineHarness(b => b.AddWorkflow<CountsSignalsPerRun>(), memory with { Store = hooked });
        var first = await engine.Client.StartWorkflowAsync(nameof(CountsSignalsPerRun), new SignalRuns(0, ""), new StartWorkflowOptions());
        // The signal's sender has read the run as running; before its row lands, the run continues as new and the new run starts.
        hooked.ArmBeforeInbox(key => key.EndsWith("-late", StringComparison.Ordinal), async () =>
        {
            await engine.Client.SignalWorkflowAsync(first.Id, "next", null, "next");
            await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(first.Id), d => d.RunId != first.RunId && d.Status == WorkflowStatus.Running);
        });

        await engine.Client.SignalWorkflowAsync(first.Id, "add", "late", "late");
        await engine.Client.SignalWorkflowAsync(first.Id, "finish", null, "finish");
        var closed = await engine.Client.WaitForCloseAsync(first.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(1, hooked.Fired);
        Assert.Equal("first run: ; second run: late", closed.Result?.GetString());
    }
}

[Collection(AzuriteSuite.Name)]
public sealed class SignalAcrossContinueAsNewTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : SignalAcrossContinueAsNewTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

/// <summary>Which run this is (0 first), and what the first run received.</summary>
public sealed record SignalRuns(int Generation, string FirstRun);

/// <summary>The first run collects "add" values until "next", then continues as new; the second collects them until "finish" and reports both runs' values.</summary>
[Workflow]
public sealed class CountsSignalsPerRun
{
    private readonly List<string> received = [];
    private bool next;

    /// <summary>Runs it.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync(SignalRuns runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        await Workflow.WaitConditionAsync(() => next);
        if (runs.Generation == 0)
        {
            throw Workflow.CreateContinueAsNewException((CountsSignalsPerRun wf) => wf.RunAsync(new SignalRuns(1, string.Join(",", received))));
        }

        return $"first run: {runs.FirstRun}; second run: {string.Join(",", received)}";
    }

    /// <summary>Adds a value.</summary>
    [WorkflowSignal("add")]
    public Task AddAsync(string value)
    {
        received.Add(value);
        return Task.CompletedTask;
    }

    /// <summary>Ends the first run.</summary>
    [WorkflowSignal("next")]
    public Task NextAsync()
    {
        next = true;
        return Task.CompletedTask;
    }

    /// <summary>Ends the second run.</summary>
    [WorkflowSignal("finish")]
    public Task FinishAsync()
    {
        next = true;
        return Task.CompletedTask;
    }
}
