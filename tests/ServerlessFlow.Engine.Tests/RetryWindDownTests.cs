using Azure.Core;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// What an attempt leads to — in a batch or run eagerly — is written even when the worker stops while writing it: a retry to schedule,
/// like an outcome or a claim handed back, runs on the wind-down budget, not on the stop. On Azurite: the store honours a cancelled request (the in-memory
/// one completes every call at once); the stop comes from a pipeline policy just before the retry's write is sent.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class RetryWindDownTests(AzuriteFixture azurite)
{
    private static void Register(ServerlessFlowBuilder b) =>
        b.AddWorkflow<FansOutBatches>().AddActivities<BatchActivities>().ConfigureWorker(o => o with { MaxConcurrentActivities = 2 });

    [Fact]
    public async Task Batch_WorkerStopsAsAFailedAttemptsRetryIsWritten_TheRetryIsStillWrittenAndSent()
    {
        var hook = new RequestHook();
        var backend = TestBackend.Azure(azurite, hook);
        // 0 and 5 fail their first attempt; 0 and 1 run eagerly, 2–7 are one batch, in which 5 waits for the gate (and holds a lane:
        // 0's retry may wait for a slot meanwhile).
        var input = new BatchInput(8, FailFirstEvery: 5, HangFirst: false, StartToCloseMs: 600_000, GatedOn: [5]);
        WorkflowHandle handle;
        long five;
        var first = new EngineHarness(Register, backend);
        await using (first)
        {
            handle = await first.Client.StartWorkflowAsync(nameof(FansOutBatches), input, new StartWorkflowOptions());
            await Eventually.WaitAsync(() => Task.FromResult(BatchActivities.JournalOf(handle.Id)), journal => journal.Contains("5/1"));
            five = (await first.Client.GetHistoryAsync(handle.Id)).OfType<ActivityScheduled>().ElementAt(5).EventId;

            // 5's first attempt fails now; the worker stops just before the write that schedules its retry is sent.
            hook.Before(request => IsRetryWrite(request, five), first.StopAsync);
            BatchActivities.GateOf(handle.Id).SetResult();
            await Eventually.WaitAsync(() => Task.FromResult(hook.Fired), fired => fired == 1);
        }

        var row = (await backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None)).Single(row => row.ScheduledEventId == five);
        Assert.Equal((ActivityState.Scheduled, 2), (row.State, row.Attempt));
        await Eventually.WaitAsync(
            () => backend.Queues.ReceiveAsync(QueueNames.Activity(QueueNames.DefaultTaskQueue), WorkflowWorker.MaxBatch, TimeSpan.FromMinutes(1), CancellationToken.None),
            received => received.Any(message => TaskMessage.TryParse(message.Body) is ActivityTaskMessage { Attempt: 2 } retry && retry.ScheduledEventId == five));
    }

    [Fact]
    public async Task Eager_WorkerStopsAsAFailedAttemptsRetryIsWritten_TheRetryIsStillWrittenAndSent()
    {
        var hook = new RequestHook();
        var backend = TestBackend.Azure(azurite, hook);
        // One activity, run eagerly by the worker whose task scheduled it (a task the worker took from its queue, so the attempt
        // stops with the worker); its first attempt waits for the gate, then fails.
        var input = new BatchInput(1, FailFirstEvery: 1, HangFirst: false, StartToCloseMs: 600_000, GatedOn: [0]);
        WorkflowHandle handle;
        long activity;
        var first = new EngineHarness(b => Register(b.ConfigureWorker(o => o with { EagerStart = false })), backend);
        await using (first)
        {
            handle = await first.Client.StartWorkflowAsync(nameof(FansOutBatches), input, new StartWorkflowOptions());
            await Eventually.WaitAsync(() => Task.FromResult(BatchActivities.JournalOf(handle.Id)), journal => journal.Contains("0/1"));
            activity = (await first.Client.GetHistoryAsync(handle.Id)).OfType<ActivityScheduled>().Single().EventId;

            hook.Before(request => IsRetryWrite(request, activity), first.StopAsync);
            BatchActivities.GateOf(handle.Id).SetResult();
            await Eventually.WaitAsync(() => Task.FromResult(hook.Fired), fired => fired == 1);
        }

        var row = (await backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None)).Single(row => row.ScheduledEventId == activity);
        Assert.Equal((ActivityState.Scheduled, 2), (row.State, row.Attempt));
        await Eventually.WaitAsync(
            () => backend.Queues.ReceiveAsync(QueueNames.Activity(QueueNames.DefaultTaskQueue), WorkflowWorker.MaxBatch, TimeSpan.FromMinutes(1), CancellationToken.None),
            received => received.Any(message => TaskMessage.TryParse(message.Body) is ActivityTaskMessage { Attempt: 2 } retry && retry.ScheduledEventId == activity));
    }

    /// <summary>The replace of activity <paramref name="scheduledEventId"/>'s row that schedules its second attempt.</summary>
    private static bool IsRetryWrite(Request request, long scheduledEventId) =>
        request.Method == RequestMethod.Put && RequestBody.Text(request) is var body
        && body.Contains($"\"ScheduledEventId\":\"{scheduledEventId}\"", StringComparison.Ordinal)
        && body.Contains("\"Attempt\":2", StringComparison.Ordinal) && body.Contains("\"State\":\"Scheduled\"", StringComparison.Ordinal);
}
