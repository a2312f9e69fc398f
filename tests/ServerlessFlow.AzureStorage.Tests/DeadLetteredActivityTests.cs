using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// An activity task whose message is dead-lettered (delivered past the delivery limit, as when every process taking it died) leaves
/// its row scheduled and nothing sends it again. The workflow must not look healthy meanwhile: describe names the dead letter and
/// the way out, and requeueing it runs the activity and the workflow goes on.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class DeadLetteredActivityTests(AzuriteFixture azurite)
{
    private const int MaxDeliveries = 3;
    private const string RemoteQueue = "remote";
    private static readonly string ActivityQueue = QueueNames.Activity(RemoteQueue);
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task DeadLetter_ActivityTaskPastItsDeliveryLimit_DescribeNamesItAndARequeueCompletesTheRun()
    {
        var id = "dead-activity-" + Guid.NewGuid().ToString("N");
        await using var engines = await DriveToDeadLetterAsync(nameof(CallsRemoteActivity), id);
        var (backend, client) = (engines.Backend, engines.Client);

        var stuck = await Polling.UntilAsync(TimeSpan.FromSeconds(30), "describe to name the dead letter", async () =>
        {
            var described = await client.DescribeWorkflowAsync(id);
            return (described.LastTaskFailure is not null, described);
        });
        var letter = Assert.Single((await backend.DeadLetters.ListAsync(ActivityQueue, 10, null, Ct)).Items);
        await backend.DeadLetters.RequeueAsync(letter.Queue, letter.MessageId, Ct);
        var closed = await client.WaitForCloseAsync(id, TimeSpan.FromSeconds(60));
        await engines.StopAsync();

        Assert.Equal(WorkflowStatus.Running, stuck.Status);
        Assert.Contains("activity event", stuck.LastTaskFailure, StringComparison.Ordinal);
        Assert.Contains("dead-lettered", stuck.LastTaskFailure, StringComparison.Ordinal);
        Assert.Contains(letter.MessageId, stuck.LastTaskFailure, StringComparison.Ordinal);
        Assert.Equal((WorkflowStatus.Completed, 7), (closed.Status, closed.GetResult<int>()));
        Assert.Null(closed.LastTaskFailure);
    }

    [Fact]
    public async Task DeadLetter_ActivityTaskDeadLetteredThenAnUnrelatedTaskCommits_DescribeStillShowsItUntilTheRequeueSettlesIt()
    {
        var id = "dead-then-signal-" + Guid.NewGuid().ToString("N");
        await using var engines = await DriveToDeadLetterAsync(nameof(CallsRemoteActivityAndTakesPings), id);
        var (backend, client) = (engines.Backend, engines.Client);

        await Polling.UntilAsync(TimeSpan.FromSeconds(30), "describe to name the dead letter", async () => ((await client.DescribeWorkflowAsync(id)).DeadLetters.Count == 1, 0));

        // An unrelated workflow task commits (a signal is applied): the dead letter is still what the run waits on.
        await client.SignalWorkflowAsync(id, "ping", null);
        await Polling.UntilAsync(TimeSpan.FromSeconds(30), "the signal to be applied", async () =>
            ((await client.GetHistoryAsync(id)).OfType<History.WorkflowSignaled>().Any(), 0));
        var afterSignal = await client.DescribeWorkflowAsync(id);

        var letter = Assert.Single((await backend.DeadLetters.ListAsync(ActivityQueue, 10, null, Ct)).Items);
        await backend.DeadLetters.RequeueAsync(letter.Queue, letter.MessageId, Ct);
        var closed = await client.WaitForCloseAsync(id, TimeSpan.FromSeconds(60));
        await engines.StopAsync();

        Assert.Null(afterSignal.LastTaskFailure); // the task failure is the last task's, and that task succeeded
        var note = Assert.Single(afterSignal.DeadLetters);
        Assert.Contains("activity event", note, StringComparison.Ordinal);
        Assert.Contains(letter.MessageId, note, StringComparison.Ordinal);
        Assert.Equal((WorkflowStatus.Completed, 7), (closed.Status, closed.GetResult<int>()));
        Assert.Empty(closed.DeadLetters);
    }

    /// <summary>
    /// Starts the workflow on the home engine, whose worker runs, and delivers its activity task up to the delivery limit with no
    /// handling that ends (a process that takes it and dies); then starts the remote queue's worker, which dead-letters the task.
    /// </summary>
    private async Task<Engines> DriveToDeadLetterAsync(string workflowType, string id)
    {
        var backend = await TestBackends.CreateAsync(azurite);
        var engines = new Engines(backend, Engine(backend, QueueNames.DefaultTaskQueue), Engine(backend, RemoteQueue));
        try
        {
            engines.Run(engines.Home);
            await engines.Client.StartWorkflowAsync(workflowType, null, new StartWorkflowOptions { Id = id });
            await Polling.UntilAsync(TimeSpan.FromSeconds(30), "the activity task to be sent", async () =>
                ((await backend.Store.ReadInstanceAsync(id, Ct)) is { PendingActivities.Count: 1, OutboxPending: false }, 0));
            await backend.Queues.EnsureQueueAsync(ActivityQueue, Ct);
            for (var delivery = 0; delivery < MaxDeliveries; delivery++)
            {
                var taken = Assert.Single(await backend.Queues.ReceiveAsync(ActivityQueue, 1, TimeSpan.FromMinutes(1), Ct));
                await backend.Queues.SetVisibilityAsync(taken, TimeSpan.Zero, Ct);
            }

            engines.Run(engines.Remote);
            return engines;
        }
        catch
        {
            await engines.DisposeAsync();
            throw;
        }
    }

    private static ServiceProvider Engine(AzureStorageBackend backend, string taskQueue) => TestBackends.Engine(backend, flow => flow
        .AddWorkflow<CallsRemoteActivity>()
        .AddWorkflow<CallsRemoteActivityAndTakesPings>()
        .AddActivities<RemoteActivities>()
        .ConfigureWorker(o => o with
        {
            TaskQueues = [taskQueue], MaxDeliveries = MaxDeliveries, MaxPollInterval = TimeSpan.FromMilliseconds(50), SweepInterval = TimeSpan.FromMilliseconds(200),
            StallThreshold = TimeSpan.FromMilliseconds(500), Retention = null,
        }));

    /// <summary>The engines of a dead-letter test on one backend: the workflow's (home) and the remote activity queue's, with their workers.</summary>
    private sealed class Engines(AzureStorageBackend backend, ServiceProvider home, ServiceProvider remote) : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly List<Task> workers = [];

        public AzureStorageBackend Backend { get; } = backend;

        public ServiceProvider Home { get; } = home;

        public ServiceProvider Remote { get; } = remote;

        public IWorkflowClient Client => Home.GetRequiredService<IWorkflowClient>();

        /// <summary>Starts the worker of <paramref name="engine"/>.</summary>
        public void Run(ServiceProvider engine) => workers.Add(engine.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token));

        /// <summary>Stops the workers and waits for them.</summary>
        public async Task StopAsync()
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        public async ValueTask DisposeAsync()
        {
            stop.Dispose();
            await Remote.DisposeAsync();
            await Home.DisposeAsync();
        }
    }
}

/// <summary>Runs one activity on the "remote" task queue and returns its result.</summary>
[Workflow]
public sealed class CallsRemoteActivity
{
    /// <summary>Runs the workflow.</summary>
    [WorkflowRun]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Workflow methods are instance methods the worker calls.")]
    public Task<int> RunAsync() =>
        Workflow.ExecuteActivityAsync((RemoteActivities a) => a.Seven(), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1), TaskQueue = "remote" });
}

/// <summary>Runs one activity on the "remote" task queue and returns its result; takes "ping" signals meanwhile.</summary>
[Workflow]
public sealed class CallsRemoteActivityAndTakesPings
{
    /// <summary>Runs the workflow.</summary>
    [WorkflowRun]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Workflow methods are instance methods the worker calls.")]
    public Task<int> RunAsync() =>
        Workflow.ExecuteActivityAsync((RemoteActivities a) => a.Seven(), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1), TaskQueue = "remote" });

    /// <summary>Does nothing: a workflow task that commits.</summary>
    [WorkflowSignal("ping")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Signal handlers are instance methods the worker calls.")]
    public void Ping()
    {
    }
}

/// <summary>An activity served on the "remote" task queue.</summary>
public sealed class RemoteActivities
{
    /// <summary>Returns 7.</summary>
    [Activity]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Activities are instance methods the worker resolves.")]
    public int Seven() => 7;
}
