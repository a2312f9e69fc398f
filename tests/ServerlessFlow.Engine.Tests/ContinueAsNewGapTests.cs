using Azure.Core;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Between the two commits of a continue-as-new (the run closed as ContinuedAsNew, the run it named not started yet) the workflow
/// goes on: as in Temporal, where a cancel, terminate, update, suspend or resume names the workflow ID's current run, each reaches
/// the new run instead of being answered "already closed", a start that terminates the existing run terminates the new one, and
/// one that uses the existing run is given the new one. The worker
/// that continues the chain is held just before it starts the new run, as one that is slow or has died would be.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class ContinueAsNewGapTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Cancel_BetweenTheTwoCommitsOfAContinueAsNew_CancelsTheNewRun()
    {
        await using var gap = await ContinuationGap.StartAsync(azurite);
        var canceled = false;

        await gap.HoldNewRunStartAsync(async () => canceled = await gap.Client.CancelWorkflowAsync(gap.Id, "in the gap"));
        var closed = await gap.Client.WaitForCloseAsync(gap.Id, TimeSpan.FromSeconds(30));

        Assert.True(canceled);
        Assert.Equal((WorkflowStatus.Canceled, gap.NewRunId), (closed.Status, closed.RunId));
    }

    [Fact]
    public async Task Terminate_BetweenTheTwoCommitsOfAContinueAsNew_TerminatesTheNewRun()
    {
        await using var gap = await ContinuationGap.StartAsync(azurite);
        var terminated = false;

        await gap.HoldNewRunStartAsync(async () => terminated = await gap.Client.TerminateWorkflowAsync(gap.Id, "in the gap"));
        var closed = await gap.Client.DescribeWorkflowAsync(gap.Id);

        Assert.True(terminated);
        Assert.Equal((WorkflowStatus.Terminated, gap.NewRunId), (closed.Status, closed.RunId));
        var history = await gap.Client.GetHistoryAsync(gap.Id);
        Assert.IsType<WorkflowStarted>(history[0]);
        Assert.Equal("in the gap", Assert.IsType<WorkflowTerminated>(history[^1]).Reason);
    }

    [Fact]
    public async Task Update_BetweenTheTwoCommitsOfAContinueAsNew_IsAppliedByTheNewRun()
    {
        await using var gap = await ContinuationGap.StartAsync(azurite);
        Task<string>? update = null;

        // The update waits for its handler, which runs only once the held worker goes on: the hold ends when the update has been
        // refused, or has reached the new run.
        await gap.HoldNewRunStartAsync(async () =>
        {
            update = gap.Client.UpdateWorkflowAsync(gap.Id, "set", "in the gap", "update-1").ContinueWith(t => t.Result?.GetString() ?? "", TaskScheduler.Default);
            await Polling.UntilAsync(
                async () => (await gap.Client.DescribeWorkflowAsync(gap.Id)).RunId, runId => update.IsCompleted || runId == gap.NewRunId, TimeSpan.FromSeconds(30), "the update to reach the new run");
        });

        Assert.Equal("generation 1 set in the gap", await update!);
        await gap.Client.SignalWorkflowAsync(gap.Id, "next", null, "finish");
        var closed = await gap.Client.WaitForCloseAsync(gap.Id, TimeSpan.FromSeconds(30));
        Assert.Equal((WorkflowStatus.Completed, gap.NewRunId, "in the gap"), (closed.Status, closed.RunId, closed.Result?.GetString()));
    }

    [Fact]
    public async Task Start_TerminateExistingBetweenTheTwoCommitsOfAContinueAsNew_TerminatesTheNewRunAndStarts()
    {
        await using var gap = await ContinuationGap.StartAsync(azurite);
        WorkflowHandle? started = null;

        // Bounded, so that a start that never gets past the gap fails the test instead of hanging it.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await gap.HoldNewRunStartAsync(async () => started = await gap.Client.StartWorkflowAsync(
            nameof(ContinuesOnSignal), 5, new StartWorkflowOptions { Id = gap.Id, IdConflictPolicy = WorkflowIdConflictPolicy.TerminateExisting }, deadline.Token));

        Assert.NotNull(started);
        Assert.NotEqual(gap.NewRunId, started.RunId);
        Assert.Equal(WorkflowStatus.Running, (await gap.Client.DescribeWorkflowAsync(gap.Id)).Status);
        var terminatedRun = await gap.Store.ReadHistoryAsync(gap.Id, gap.NewRunId, 0, CancellationToken.None);
        Assert.IsType<WorkflowStarted>(terminatedRun[0]);
        Assert.IsType<WorkflowTerminated>(terminatedRun[^1]);
    }

    [Fact]
    public async Task Suspend_BetweenTheTwoCommitsOfAContinueAsNew_SuspendsTheNewRun()
    {
        await using var gap = await ContinuationGap.StartAsync(azurite);
        var suspended = false;

        await gap.HoldNewRunStartAsync(async () => suspended = await gap.Client.SuspendWorkflowAsync(gap.Id, "in the gap"));
        var held = await gap.Client.DescribeWorkflowAsync(gap.Id);

        Assert.True(suspended);
        Assert.Equal((WorkflowStatus.Running, gap.NewRunId, "in the gap"), (held.Status, held.RunId, held.Suspension?.Reason));
    }

    [Fact]
    public async Task Resume_BetweenTheTwoCommitsOfAContinueAsNew_AnswersForTheNewRun()
    {
        await using var gap = await ContinuationGap.StartAsync(azurite);
        var resumed = false;

        await gap.HoldNewRunStartAsync(async () => resumed = await gap.Client.ResumeWorkflowAsync(gap.Id));
        await gap.Client.SignalWorkflowAsync(gap.Id, "next", null, "finish");
        var closed = await gap.Client.WaitForCloseAsync(gap.Id, TimeSpan.FromSeconds(30));

        Assert.True(resumed);
        Assert.Equal((WorkflowStatus.Completed, gap.NewRunId), (closed.Status, closed.RunId));
    }

    [Fact]
    public async Task Start_UseExistingBetweenTheTwoCommitsOfAContinueAsNew_ReturnsTheNewRun()
    {
        await using var gap = await ContinuationGap.StartAsync(azurite);
        WorkflowHandle? existing = null;

        await gap.HoldNewRunStartAsync(async () => existing = await gap.Client.StartWorkflowAsync(
            nameof(ContinuesOnSignal), 5, new StartWorkflowOptions { Id = gap.Id, IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting }));
        await gap.Client.SignalWorkflowAsync(gap.Id, "next", null, "finish");
        var closed = await gap.Client.WaitForCloseAsync(gap.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(gap.NewRunId, existing?.RunId);
        Assert.Equal((WorkflowStatus.Completed, gap.NewRunId), (closed.Status, closed.RunId)); // the chain went on; nothing else started
    }

    /// <summary>
    /// A run of <see cref="ContinuesOnSignal"/> on Azurite that continues as new on its "next" signal, with a hook on the transaction
    /// that starts the new run.
    /// </summary>
    private sealed class ContinuationGap : IAsyncDisposable
    {
        private readonly EngineHarness engine;
        private readonly RequestHook hook;

        private ContinuationGap(EngineHarness engine, RequestHook hook, string id)
        {
            (this.engine, this.hook, Id) = (engine, hook, id);
        }

        public string Id { get; }

        /// <summary>The run the continue-as-new named; known once <see cref="HoldNewRunStartAsync"/> has begun.</summary>
        public string NewRunId { get; private set; } = "";

        public IWorkflowClient Client => engine.Client;

        public Backend.IWorkflowStore Store => engine.Backend.Store;

        public static async Task<ContinuationGap> StartAsync(AzuriteFixture azurite)
        {
            var hook = new RequestHook();
            var engine = new EngineHarness(b => b.AddWorkflow<ContinuesOnSignal>(), TestBackend.Azure(azurite, hook));
            var handle = await engine.Client.StartWorkflowAsync(nameof(ContinuesOnSignal), 0, new StartWorkflowOptions());
            return new ContinuationGap(engine, hook, handle.Id);
        }

        /// <summary>
        /// Makes the run continue as new, and runs <paramref name="inTheGap"/> just before the worker's transaction that starts the new
        /// run is sent: the instance is ContinuedAsNew meanwhile (checked).
        /// </summary>
        public async Task HoldNewRunStartAsync(Func<Task> inTheGap)
        {
            var seenInTheGap = WorkflowStatus.Running;
            var continued = false;
            // After the transaction that closes the run as ContinuedAsNew, the next one that writes a running instance starts the new run.
            bool IsNewRunStart(Request request)
            {
                if (continued)
                {
                    return Writes(request, "Running");
                }

                continued = Writes(request, "ContinuedAsNew");
                return false;
            }

            // The action's outcome is the test's, not the worker's whose request it holds.
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            hook.Before(IsNewRunStart, async () =>
            {
                try
                {
                    var instance = await Store.ReadInstanceAsync(Id, CancellationToken.None);
                    seenInTheGap = instance!.Status;
                    NewRunId = ((WorkflowContinuedAsNew)(await Store.ReadEventAsync(Id, instance.RunId, instance.LastEventId, CancellationToken.None))!).NewRunId;
                    await inTheGap();
                    held.SetResult();
                }
                catch (Exception e)
                {
                    held.SetException(e);
                }
            });

            await engine.Client.SignalWorkflowAsync(Id, "next", null, "next");
            await held.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(WorkflowStatus.ContinuedAsNew, seenInTheGap);
        }

        public ValueTask DisposeAsync() => engine.DisposeAsync();

        /// <summary>True for an entity-group transaction on the workflow table (not the index) that writes a row with status <paramref name="status"/>.</summary>
        private static bool Writes(Request request, string status)
        {
            if (request.Method != RequestMethod.Post || !request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                return false;
            }

            var text = RequestBody.Text(request);
            return text.Contains("workflows(", StringComparison.Ordinal) && text.Contains($"\"Status\":\"{status}\"", StringComparison.Ordinal);
        }
    }
}

/// <summary>Generation 0 continues as new when signalled "next"; generation 1 and later complete then, with the value the "set" update left.</summary>
[Workflow]
public sealed class ContinuesOnSignal
{
    private bool next;
    private int generation;
    private string value = "";

    /// <summary>Runs it.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync(int runGeneration)
    {
        generation = runGeneration;
        await Workflow.WaitConditionAsync(() => next);
        if (runGeneration == 0)
        {
            throw Workflow.CreateContinueAsNewException((ContinuesOnSignal wf) => wf.RunAsync(1));
        }

        return value;
    }

    /// <summary>Ends the run.</summary>
    [WorkflowSignal("next")]
    public Task NextAsync()
    {
        next = true;
        return Task.CompletedTask;
    }

    /// <summary>Sets the value, and says which generation took it.</summary>
    [WorkflowUpdate("set")]
    public Task<string> SetAsync(string newValue)
    {
        value = newValue;
        return Task.FromResult($"generation {generation} set {newValue}");
    }
}
