using ServerlessFlow.Engine.Execution;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Engine.Replay;
using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

public sealed class WorkflowReplayerTests
{
    private static readonly string GoldenDirectory = Path.Combine(AppContext.BaseDirectory, "Golden");

    private static readonly WorkflowReplayer Current = new(new WorkflowReplayerOptions { Workflows = [typeof(HelloSequence), typeof(OrderWorkflow), typeof(PatchableAfter)] });

    [Fact]
    public async Task ReplayDirectoryAsync_GoldenHistories_EveryFileReplaysClean()
    {
        var results = await Current.ReplayDirectoryAsync(GoldenDirectory);

        Assert.Equal(Directory.GetFiles(GoldenDirectory, "*.json").Length, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Source}: {r.ReplayFailure?.Message}"));
        Assert.Contains(results, r => r.History.Events[0] is WorkflowStarted { WorkflowType: "OrderWorkflow" });
    }

    [Fact]
    public async Task ReplayAsync_ChangedWorkflow_ThrowsTheEnginesNonDeterminismMessage()
    {
        var history = await WorkflowHistory.LoadAsync(Path.Combine(GoldenDirectory, "hello-sequence-3.json"));
        var changed = new WorkflowReplayer(new WorkflowReplayerOptions { Workflows = [typeof(ChangedHelloSequence)] });

        var error = await Assert.ThrowsAsync<NonDeterminismException>(() => changed.ReplayAsync(history));

        Assert.Contains("history recorded ActivityScheduled 'Step' at event 2; the code now did ScheduleActivity 'Greet'", error.Message, StringComparison.Ordinal);
        var engine = WorkflowRegistry.Build([typeof(ChangedHelloSequence)], []);
        var workerError = Assert.Throws<NonDeterminismException>(() =>
            new WorkflowExecution(engine.GetWorkflow("HelloSequence"), engine.SearchAttributes, history.Id, "any-run", "default").Replay(history.Events));
        Assert.Equal(workerError.Message, error.Message);
    }

    [Fact]
    public async Task ReplayDirectoryAsync_ChangedWorkflow_ReportsEachDivergenceWithoutThrowing()
    {
        var changed = new WorkflowReplayer(new WorkflowReplayerOptions { Workflows = [typeof(ChangedHelloSequence), typeof(OrderWorkflow), typeof(PatchableAfter)] });

        var results = await changed.ReplayDirectoryAsync(GoldenDirectory);

        var failed = Assert.Single(results, r => !r.Succeeded);
        Assert.EndsWith("hello-sequence-3.json", failed.Source, StringComparison.Ordinal);
        Assert.IsType<NonDeterminismException>(failed.ReplayFailure);
    }

    [Fact]
    public async Task ReplayAsync_UnknownWorkflowTypeWithoutThrowing_ReturnsTheFailure()
    {
        var history = await WorkflowHistory.LoadAsync(Path.Combine(GoldenDirectory, "order-completed.json"));
        var helloOnly = new WorkflowReplayer(new WorkflowReplayerOptions { Workflows = [typeof(HelloSequence)] });

        var result = await helloOnly.ReplayAsync(history, throwOnReplayFailure: false);

        Assert.IsType<UnknownWorkflowTypeException>(result.ReplayFailure);
    }

    [Fact]
    public void FromJson_HistoryEndpointShape_ReadsIdAndEvents()
    {
        var events = WorkflowHistory.FromJson(File.ReadAllText(Path.Combine(GoldenDirectory, "order-completed.json"))).Events;
        var written = new WorkflowHistory("order-7", events).ToJson();

        var read = WorkflowHistory.FromJson(written);

        Assert.StartsWith("{\"id\":\"order-7\",\"events\":[{\"kind\":\"WorkflowStarted\"", written, StringComparison.Ordinal);
        Assert.Equal("order-7", read.Id);
        Assert.Equal(events.Select(e => e.EventId), read.Events.Select(e => e.EventId));
    }

    [Fact]
    public void FromJson_ObjectWithoutEvents_ThrowsJsonException() =>
        Assert.Throws<System.Text.Json.JsonException>(() => WorkflowHistory.FromJson("{\"id\":\"x\"}"));
}

/// <summary>HelloSequence after a careless change: it greets before the steps, which the recorded histories did not do.</summary>
[Workflow("HelloSequence")]
public sealed class ChangedHelloSequence
{
    [WorkflowRun]
    public async Task<List<int>> RunAsync(HelloInput input)
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1) };
        await Workflow.ExecuteActivityAsync((GreetingActivities a) => a.GreetAsync(), options);
        var results = new List<int>();
        for (var i = 0; i < input.Count; i++)
        {
            results.Add(await Workflow.ExecuteActivityAsync((HelloActivities a) => a.StepAsync(i, input.DelayMs), options));
        }

        return results;
    }
}

public sealed class GreetingActivities
{
    [Activity]
    public Task GreetAsync() => Task.CompletedTask;
}
