using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>What a wait for a close costs on Azure Storage, counted by <see cref="RequestCounter"/> as the worker runs the workflow beside it.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class WaitForCloseRequestTests(AzuriteFixture azurite)
{
    /// <summary>
    /// The wait's own requests: its first read of the instance row, and nothing more — the closing commit was made here, and its
    /// committer had the started and closing events in hand.
    /// </summary>
    private const int WaitRequests = 1;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WaitForCloseAsync_WorkflowRunInThisProcess_ReadsOnlyTheInstanceOnceAndDescribesTheCloseFromTheCommit()
    {
        var counter = new RequestCounter();
        var id = "wait-" + Guid.NewGuid().ToString("N");
        // The caller's clock stands still: no fallback read ever falls due, so the wait learns of the run only from this process's commits.
        var callerClock = new FakeTimeProvider();
        EngineHarness engine;
        using (counter.Exclude())
        {
            // Everything the worker and the eager start do runs in flows begun here, left out of the count: what is counted is the wait's.
            engine = new EngineHarness(
                b => b.AddWorkflow<GatedSteps>().AddActivities<GatedActivities>().Services.AddSingleton(new CallerClock(callerClock)),
                TestBackend.Azure(azurite, counter));
            await engine.Client.StartWorkflowAsync(nameof(GatedSteps), "steps:", new StartWorkflowOptions { Id = id });
            await GatedActivities.ReachedAsync(id).WaitAsync(Deadline);
        }

        await using (engine)
        {
            counter.Reset();
            var waiting = engine.Client.WaitForCloseAsync(id, TimeSpan.FromMinutes(1));
            await Polling.UntilAsync(Deadline, "the wait to read the running workflow", () => Task.FromResult((counter.Total == 1 && engine.Get<CompletionNotifier>().Waiting == 1, 0)));
            var beforeClose = counter.Total;

            // Three commits follow (two steps, then the close), each seen by the wait as it happens.
            GatedActivities.Open(id);
            var closed = await waiting.WaitAsync(Deadline);

            Assert.Equal((WorkflowStatus.Completed, "steps:gate 0 1"), (closed.Status, closed.GetResult<string>()));
            Assert.Equal("steps:", closed.Input?.GetString());
            Assert.Equal(1, beforeClose);
            Assert.True(WaitRequests == counter.Total, $"The wait made {counter.Total} requests, expected {WaitRequests}: {counter.Describe()}");
        }
    }

    [Theory]
    [InlineData("complete")]
    [InlineData("fail")]
    [InlineData("terminate")]
    public async Task WaitForCloseAsync_ClosedInThisProcess_DescribesExactlyWhatStorageHolds(string ending)
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<EndsAsAsked>(), TestBackend.Azure(azurite));
        var id = "ends-" + Guid.NewGuid().ToString("N");
        var memo = new Dictionary<string, object?> { ["customer"] = "ada", ["tier"] = 2 };
        await engine.Client.StartWorkflowAsync(nameof(EndsAsAsked), ending, new StartWorkflowOptions { Id = id, Memo = memo });

        // The wait watches before the close, so the close reaches it as this process's commit, with the events in hand.
        var waiting = engine.Client.WaitForCloseAsync(id, Deadline);
        await Polling.UntilAsync(Deadline, "the wait to watch", () => Task.FromResult((engine.Get<CompletionNotifier>().Waiting == 1, 0)));
        if (ending == "terminate")
        {
            Assert.True(await engine.Client.TerminateWorkflowAsync(id, "enough"));
        }
        else
        {
            await engine.Client.SignalWorkflowAsync(id, "go", null);
        }

        var closed = await waiting.WaitAsync(Deadline);
        var described = await engine.Client.DescribeWorkflowAsync(id);

        Assert.NotEqual(WorkflowStatus.Running, closed.Status);
        Assert.Equal(JsonSerializer.Serialize(described), JsonSerializer.Serialize(closed));
        Assert.Equal("ada", closed.Memo?["customer"].GetString());
        Assert.Equal(ending, closed.Input?.GetString());
    }

    [Fact]
    public async Task WaitForCloseAsync_BigInputAndResult_DescribesThemWhole()
    {
        var big = new string('b', 1_500_000); // several rows once stored: the events' continuation rows are read too
        await using var engine = new EngineHarness(b => b.AddWorkflow<EchoesBig>(), TestBackend.Azure(azurite));

        var closed = await engine.RunAsync(nameof(EchoesBig), big);
        var described = await engine.Client.DescribeWorkflowAsync(closed.Id);

        Assert.Equal(big, closed.Input?.GetString());
        Assert.Equal(big + "!", closed.GetResult<string>());
        Assert.Equal((big, big + "!"), (described.Input?.GetString(), described.GetResult<string>()));
    }
}

/// <summary>Once signaled "go", completes or fails as its input says; terminated before that otherwise.</summary>
[Workflow]
public sealed class EndsAsAsked
{
    private bool go;

    [WorkflowRun]
    public async Task<string> RunAsync(string ending)
    {
        await Workflow.WaitConditionAsync(() => go);
        return ending == "fail" ? throw new ApplicationFailureException("declined", "Declined") : "done";
    }

    [WorkflowSignal("go")]
    public Task GoAsync()
    {
        go = true;
        return Task.CompletedTask;
    }
}

/// <summary>Returns its input with a mark: a result as big as the input.</summary>
[Workflow]
public sealed class EchoesBig
{
    [WorkflowRun]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Workflow methods are instance methods the worker calls.")]
    public Task<string> RunAsync(string input) => Task.FromResult(input + "!");
}
