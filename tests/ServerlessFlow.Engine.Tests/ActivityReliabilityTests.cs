using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

public abstract class ActivityReliabilityTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b
        .AddWorkflow<RunsOne>().AddWorkflow<CancelsHeartbeatingActivity>().AddWorkflow<CancelsOneActivity>().AddWorkflow<FiveSteps>().AddActivities<ReliableActivities>()
        .ConfigureWorker(o => o with { TaskQueues = ["default", "spare"] });

    private static List<string> Journal(string workflowId) => ReliableActivities.Journal.TryGetValue(workflowId, out var entries) ? [.. entries] : [];

    [Fact]
    public async Task Heartbeat_AttemptFailsMidway_NextAttemptResumesFromLastDetails()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(RunsOne), new OneActivity("ProcessFile"));

        Assert.Equal("done on attempt 2", closed.GetResult<string>());
        var chunks = Journal(closed.Id);
        Assert.Equal(Enumerable.Range(0, 10).Select(c => $"chunk {c} attempt {(c <= 4 ? 1 : 2)}"), chunks);
    }

    [Fact]
    public async Task HeartbeatTimeout_AttemptStopsHeartbeating_FailedAndRetried()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(RunsOne), new OneActivity("HangFirst", HeartbeatTimeoutMs: 300, Heartbeat: true));

        Assert.Equal("ok on attempt 2", closed.GetResult<string>());
        Assert.Equal(2, Assert.Single((await engine.Client.GetHistoryAsync(closed.Id)).OfType<ActivityCompleted>()).Attempt);
    }

    [Fact]
    public async Task StartToCloseTimeout_AttemptHangs_FailedAndRetried()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(RunsOne), new OneActivity("HangFirst", StartToCloseMs: 300));

        Assert.Equal("ok on attempt 2", closed.GetResult<string>());
    }

    [Fact]
    public async Task ScheduleToStartTimeout_NoWorkerServesQueue_FailsWithoutRetry()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(RunsOne), new OneActivity("AlwaysFails", ScheduleToStartMs: 300, TaskQueue: "nobody"));

        Assert.Equal("failed: ScheduleToStartTimeout after 1", closed.GetResult<string>());
    }

    [Fact]
    public async Task RetryPolicy_MaximumAttemptsAndNonRetryableTypes_Honoured()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var limited = await engine.RunAsync(nameof(RunsOne), new OneActivity("AlwaysFails", MaxAttempts: 3));
        var nonRetryable = await engine.RunAsync(nameof(RunsOne), new OneActivity("AlwaysFails", NonRetryable: ["System.InvalidOperationException"]));

        Assert.Equal("failed: System.InvalidOperationException after 3", limited.GetResult<string>());
        Assert.Equal("failed: System.InvalidOperationException after 1", nonRetryable.GetResult<string>());
    }

    [Fact]
    public async Task UnknownActivity_FailsActivityWithClearError()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(RunsOne), new OneActivity("NoSuchActivity"));

        Assert.Equal("failed: UnknownActivity after 1", closed.GetResult<string>());
    }

    [Fact]
    public async Task WorkerDiesMidAttempt_AttemptTakenOverAfterItsTimeoutOnAnotherWorker()
    {
        var backend = NewBackend();
        string id;
        var first = new EngineHarness(Register, backend);
        try
        {
            id = (await first.Client.StartWorkflowAsync(nameof(RunsOne), new OneActivity("HangFirst", StartToCloseMs: 1000), new StartWorkflowOptions())).Id;
            // At least attempt 1 started (on a slow machine its 1 s may already be over, and attempt 2 under way: still a takeover).
            await Eventually.WaitAsync(() => Task.FromResult(Journal(id)), j => j.Count >= 1);
        }
        finally
        {
            await first.DisposeAsync(); // the worker running attempt 1 is gone; its row still says "started"
        }

        await using var second = new EngineHarness(Register, backend);
        var closed = await second.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal("ok on attempt 2", closed.GetResult<string>());
        // The starts the rows recorded: attempt 1's timeout counts from its own, so attempt 2 may not start before it ran out.
        var starts = Journal(id).Select(e => DateTimeOffset.Parse(e[(e.IndexOf(" at ", StringComparison.Ordinal) + 4)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var takeover = starts[1] - starts[0];
        Assert.InRange(takeover, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(200) + TimeSpan.FromSeconds(3)); // timeout + slack + polling
    }

    [Fact]
    public async Task AttemptRunner_RowStartedEarlierThanTheRunnerBegins_StopsAtTheRecordedDeadline()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var now = DateTimeOffset.UtcNow;
        // An eager attempt's row is stamped started before its commit, so the attempt begins later than the start it records;
        // another worker takes it over at the recorded start + timeout, and this worker must have stopped it by then.
        var row = new ActivityTaskRecord
        {
            WorkflowId = "runner-deadline", RunId = "r1", ScheduledEventId = 5, ActivityName = "BrieflyBusy",
            Input = System.Text.Json.JsonDocument.Parse("[]").RootElement, TaskQueue = "default", WorkflowTaskQueue = "default",
            Options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(1) }, ScheduledAt = now - TimeSpan.FromSeconds(2),
            State = ActivityState.Started, StartedAt = now - TimeSpan.FromSeconds(2),
        };

        var result = await engine.Get<ServerlessFlow.Engine.Activities.ActivityAttemptRunner>().RunAsync(row, CancellationToken.None, CancellationToken.None);

        var failed = Assert.IsType<ServerlessFlow.Engine.Activities.AttemptResult.Failed>(result);
        Assert.Equal("StartToCloseTimeout", failed.Failure.Type);
    }

    [Fact]
    public async Task WorkerDiesBetweenClaimAndTimeoutCheck_ActivityMessageExpiresTheAttempt()
    {
        var backend = NewBackend();
        await using var workflows = new EngineHarness(Register, backend);
        var id = (await workflows.Client.StartWorkflowAsync(nameof(RunsOne), new OneActivity("HangFirst", StartToCloseMs: 1000, TaskQueue: "later"), new StartWorkflowOptions())).Id;
        var pending = (await Eventually.WaitAsync(() => workflows.Client.DescribeWorkflowAsync(id), d => d.PendingActivities.Count == 1)).PendingActivities[0];

        // What a worker leaves behind when it dies right after claiming: the row says "started", and no timeout check was sent.
        var row = await backend.Store.ReadActivityAsync(id, (await workflows.Client.DescribeWorkflowAsync(id)).RunId, pending.ScheduledEventId, CancellationToken.None);
        Assert.NotNull(await backend.Store.UpdateActivityAsync(row! with { State = ActivityState.Started, StartedAt = DateTimeOffset.UtcNow }, CancellationToken.None));

        await using var activities = new EngineHarness(b => b.AddWorkflow<RunsOne>().AddActivities<ReliableActivities>().ConfigureWorker(o => o with { TaskQueues = ["later"] }), backend);
        var closed = await workflows.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal("ok on attempt 2", closed.GetResult<string>());
        Assert.Single(Journal(id)); // attempt 1 never ran here: it belonged to the dead worker
    }

    [Fact]
    public async Task CancelWorkflow_ActivityHeartbeats_ActivitySeesCancellationAndCleanupRuns()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = (await engine.Client.StartWorkflowAsync(nameof(CancelsHeartbeatingActivity), null, new StartWorkflowOptions())).Id;

        // Started, not merely scheduled: an attempt cancelled before it starts never runs, so it could not see anything.
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(id), d => d.PendingActivities is [{ State: "Started" }]);
        var heartbeating = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(id), d => d.PendingActivities is [{ HeartbeatDetails: not null }]);

        await engine.Client.CancelWorkflowAsync(id);
        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal("step 99", closed.GetResult<string>());
        Assert.True(heartbeating.PendingActivities[0].HeartbeatDetails!.Value.GetProperty("beat").GetInt32() >= 1);
        await Eventually.WaitAsync(() => Task.FromResult(Journal(id)), j => j.Contains("saw cancellation"));
    }

    [Fact]
    public async Task ActivityOptionsCancellationToken_CancelledWhileHeartbeating_RecordedActivitySeesItWorkflowGoesOn()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = (await engine.Client.StartWorkflowAsync(nameof(CancelsOneActivity), null, new StartWorkflowOptions())).Id;
        await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(id), d => d.PendingActivities is [{ State: "Started" }]);

        await engine.Client.SignalWorkflowAsync(id, "stop", null);
        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal("cancelled, then step 7", closed.GetResult<string>());
        Assert.Empty(closed.PendingActivities);
        var history = await engine.Client.GetHistoryAsync(id);
        var scheduled = history.OfType<ActivityScheduled>().First(s => s.ActivityName == "HeartbeatUntilCancelled");
        Assert.Equal(scheduled.EventId, Assert.Single(history.OfType<ActivityCanceled>()).ScheduledEventId);
        Assert.DoesNotContain(history, e => e is ActivityCompleted c && c.ScheduledEventId == scheduled.EventId || e is ActivityFailed f && f.ScheduledEventId == scheduled.EventId);
        Replaying.New(typeof(CancelsOneActivity), nameof(CancelsOneActivity), id, closed.RunId).Replay(history); // the cancellation replays deterministically
        await Eventually.WaitAsync(() => Task.FromResult(Journal(id)), j => j.Contains("saw cancellation"));
    }

    [Fact]
    public async Task FaultFreeRun_EachAttemptExecutesExactlyOnce()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await engine.Client.StartWorkflowAsync(nameof(FiveSteps), null, new StartWorkflowOptions())).Id);
        }

        foreach (var id in ids)
        {
            Assert.Equal(5, (await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30))).GetResult<int>());
            Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{i} attempt 1"), Journal(id));
        }
    }

    [Fact]
    public async Task Handle_MalformedTaskMessage_DeadLetteredAtOnce()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var handler = engine.Get<ITaskHandler>();
        // Wire forms no version writes: an activity task without its run, and a kind no version knows.
        const string noRun = """{"k":2,"w":"x","r":null,"e":1,"te":null,"a":1,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""";
        const string unknownKind = """{"k":99,"w":"x","r":null,"e":null,"te":null,"a":null,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""";

        Assert.IsType<TaskOutcome.DeadLetterOutcome>(await handler.HandleAsync(new ReceivedMessage("act-default", "m1", "r", noRun, 1), CancellationToken.None));
        Assert.IsType<TaskOutcome.DeadLetterOutcome>(await handler.HandleAsync(new ReceivedMessage("wf-default", "m2", "r", unknownKind, 1), CancellationToken.None));
    }

    [Fact]
    public async Task Handle_MessageKeepsFailingOutsideUserCode_RetriedThenDeadLetteredAtDeliveryLimit()
    {
        var backend = NewBackend();
        await using var owner = new EngineHarness(Register, backend);
        var id = (await owner.Client.StartWorkflowAsync(nameof(RunsOne), new OneActivity("ProcessFile"), new StartWorkflowOptions { TaskQueue = "unserved" })).Id;

        // A worker that does not know the workflow's type fails outside user code on every delivery.
        await using var stranger = new EngineHarness(b => b.AddWorkflow<FiveSteps>().AddActivities<ReliableActivities>(), backend);
        var handler = stranger.Get<ITaskHandler>();
        var wake = new WorkflowTaskMessage { WorkflowId = id }.ToJson();
        var limit = stranger.Get<WorkerOptions>().MaxDeliveries;
        Assert.True(limit > 1);

        // Each failed delivery asks for a replacement carrying the failure count (a Functions retry is a fresh copy).
        var outcome = await handler.HandleAsync(new ReceivedMessage("wf-unserved", "m", "r", wake, 1), CancellationToken.None);
        for (var failures = 1; failures < limit; failures++)
        {
            var retry = Assert.IsType<TaskOutcome.RetryOutcome>(outcome);
            Assert.Equal(failures, retry.Replacement!.Failures);
            outcome = await handler.HandleAsync(new ReceivedMessage("wf-unserved", "copy", "r", retry.Replacement.ToJson(), 1), CancellationToken.None);
        }

        var last = outcome;
        var dead = Assert.IsType<TaskOutcome.DeadLetterOutcome>(last);
        Assert.Contains(nameof(RunsOne), dead.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await owner.Client.DescribeWorkflowAsync(id)).HistoryLength); // nothing was half-written
    }
}

public sealed class ActivityReliabilityTestsInMemory : ActivityReliabilityTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class ActivityReliabilityTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : ActivityReliabilityTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
