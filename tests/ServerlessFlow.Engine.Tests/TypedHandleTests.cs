using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Typed client handles: starts, results, signals, queries and updates written as calls on the workflow class.</summary>
public sealed class TypedHandleTests
{
    private static readonly StartWorkflowOptions Options = new();

    [Fact]
    public async Task Handle_LoanApproval_QueriesUpdatesSignalsAndReturnsTypedResult()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), TestBackend.InMemory());

        var handle = await engine.Client.StartWorkflowAsync((LoanApprovalWorkflow wf) => wf.RunAsync(new LoanApplication("alice", 1000m)), Options);
        await Eventually.WaitAsync(() => handle.QueryAsync(wf => wf.Status), status => status == "awaiting-decision");
        var amount = await handle.ExecuteUpdateAsync(wf => wf.SetAmountAsync(1500m));
        await handle.SignalAsync(wf => wf.Decide(new LoanDecision(true, "bob")));
        string result = await handle.GetResultAsync();

        Assert.Equal(1500m, amount);
        Assert.Equal("approved by bob", result);
        Assert.Equal("approved", await handle.QueryAsync(wf => wf.Status));
        Assert.Contains((await handle.GetHistoryAsync()).Events, e => e is History.ActivityScheduled { ActivityName: "Disburse" } s && s.Input[1].GetDecimal() == 1500m);
    }

    [Fact]
    public async Task ExecuteUpdateAsync_RejectedByValidator_ThrowsRejected()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), TestBackend.InMemory());
        var handle = await engine.Client.StartWorkflowAsync((LoanApprovalWorkflow wf) => wf.RunAsync(new LoanApplication("carol", 10m)), Options);
        await Eventually.WaitAsync(() => handle.QueryAsync(wf => wf.Status), status => status == "awaiting-decision");

        var error = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => handle.ExecuteUpdateAsync(wf => wf.SetAmountAsync(0m)));

        Assert.True(error.Rejected);
        Assert.Equal("set-amount", error.UpdateName);
    }

    [Fact]
    public async Task ExecuteWorkflowAsync_HelloSequence_ReturnsTypedResult()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), TestBackend.InMemory());

        var result = await engine.Client.ExecuteWorkflowAsync((HelloSequence wf) => wf.RunAsync(new HelloInput(3, 0)), Options);

        Assert.Equal([0, 1, 2], result);
    }

    [Fact]
    public async Task GetWorkflowHandle_ById_ReadsTheRunStartedByName()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), TestBackend.InMemory());
        var started = await engine.Client.StartWorkflowAsync("HelloSequence", new HelloInput(2, 0), new StartWorkflowOptions { Id = "by-id" });

        var handle = engine.Client.GetWorkflowHandle<HelloSequence, List<int>>("by-id");

        Assert.Equal([0, 1], await handle.GetResultAsync());
        Assert.Null(handle.RunId);
        Assert.Equal(started.RunId, (await handle.DescribeAsync()).RunId);
    }

    [Fact]
    public async Task GetResultAsync_WorkflowFailed_ThrowsWorkflowFailed()
    {
        await using var engine = new EngineHarness(b => b.AddSamples().AddWorkflow<CountdownLoop>(), TestBackend.InMemory());
        var handle = await engine.Client.StartWorkflowAsync((CountdownLoop wf) => wf.RunAsync(new Countdown(-1)), Options);

        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync());

        Assert.Equal(WorkflowStatus.Failed, error.Status);
        Assert.Contains("countdown below zero", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateContinueAsNewException_TypedRunCall_ContinuesWithTheNewInput()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<CountdownLoop>(), TestBackend.InMemory());

        var result = await engine.Client.ExecuteWorkflowAsync((CountdownLoop wf) => wf.RunAsync(new Countdown(3)), Options);

        Assert.Equal("lift-off after 4 runs", result);
    }

    [Fact]
    public async Task CreateContinueAsNewException_OtherWorkflowType_FailsTheTaskNamingTheMistake()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<CountdownLoop>().AddSamples(), TestBackend.InMemory());
        var handle = await engine.Client.StartWorkflowAsync((CountdownLoop wf) => wf.RunAsync(new Countdown(1000)), Options);

        // A bug in workflow code (not a failure exception) fails the task, not the run: fixed code can still finish it.
        var failing = await Eventually.WaitAsync(() => handle.DescribeAsync(), d => d.LastTaskFailure is not null);

        Assert.Equal(WorkflowStatus.Running, failing.Status);
        Assert.Contains("not of 'HelloSequence'", failing.LastTaskFailure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignalAsync_MethodThatIsNotASignal_ThrowsNamingTheAttribute()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), TestBackend.InMemory());
        var handle = engine.Client.GetWorkflowHandle<LoanApprovalWorkflow>("any");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => handle.SignalAsync(wf => wf.ValidateSetAmount(1m)));

        Assert.Contains("mark it with [WorkflowSignal]", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Counts down by continuing as new with a typed run call; 1000 tries to continue as another type.</summary>
[Workflow]
public sealed class CountdownLoop
{
    [WorkflowRun]
    public Task<string> RunAsync(Countdown countdown)
    {
        var remaining = countdown.Remaining;
        if (remaining < 0)
        {
            throw new ApplicationFailureException("countdown below zero");
        }

        if (remaining == 1000)
        {
            throw Workflow.CreateContinueAsNewException((HelloSequence wf) => wf.RunAsync(new HelloInput(1, 0)));
        }

        if (remaining > 0)
        {
            throw Workflow.CreateContinueAsNewException((CountdownLoop wf) => wf.RunAsync(new Countdown(remaining - 1, countdown.Runs + 1)));
        }

        return Task.FromResult($"lift-off after {countdown.Runs} runs");
    }
}

public sealed record Countdown(int Remaining, int Runs = 1);
