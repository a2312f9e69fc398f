namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Each of the four activity timeouts fails the activity with its own type and a message that names the timeout, its limit
/// and the attempt ("activity start-to-close timeout of 0.3 s exceeded (attempt 1)"), never the cancellation that enforced it;
/// and non-retryable error types match by short name as well as full name.
/// </summary>
public abstract class ActivityTimeoutTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<RunsWithOptions>().AddActivities<TimeoutActivities>();

    [Fact]
    public async Task StartToCloseTimeout_AttemptHangs_FailureNamesTheTimeoutAndAttempt()
    {
        var (type, attempts, message) = await RunAsync(new ActivityCase("hang", StartToCloseMs: 300, MaxAttempts: 1));

        Assert.Equal(("StartToCloseTimeout", 1), (type, attempts));
        Assert.Equal("Activity 'Run': activity start-to-close timeout of 0.3 s exceeded (attempt 1).", message);
    }

    [Fact]
    public async Task HeartbeatTimeout_AttemptNeverHeartbeats_FailureNamesTheTimeoutAndAttempt()
    {
        var (type, attempts, message) = await RunAsync(new ActivityCase("hang", StartToCloseMs: 30_000, HeartbeatTimeoutMs: 300, MaxAttempts: 1));

        Assert.Equal(("HeartbeatTimeout", 1), (type, attempts));
        Assert.Equal("Activity 'Run': activity heartbeat timeout of 0.3 s exceeded (attempt 1).", message);
    }

    [Fact]
    public async Task ScheduleToStartTimeout_NoWorkerServesTheQueue_FailureNamesTheTimeoutAndQueue()
    {
        var (type, attempts, message) = await RunAsync(new ActivityCase("hang", StartToCloseMs: 30_000, ScheduleToStartMs: 300, TaskQueue: "nobody"));

        Assert.Equal(("ScheduleToStartTimeout", 1), (type, attempts));
        Assert.Equal("Activity 'Run': activity schedule-to-start timeout of 0.3 s exceeded (attempt 1): no worker of task queue 'nobody' picked it up.", message);
    }

    [Fact]
    public async Task ScheduleToCloseTimeout_AttemptRunsPastIt_FailsForGoodNamingTheTimeout()
    {
        var (type, attempts, message) = await RunAsync(new ActivityCase("hang", StartToCloseMs: 30_000, ScheduleToCloseMs: 1_000));

        Assert.Equal(("ScheduleToCloseTimeout", 1), (type, attempts));
        Assert.Equal("Activity 'Run': activity schedule-to-close timeout of 1 s exceeded (attempt 1).", message);
    }

    [Fact]
    public async Task ScheduleToCloseTimeout_NextRetryWouldStartAfterIt_FailsAtOnceWithTheLastFailureAsTemporalDoes()
    {
        var (type, attempts, message) = await RunAsync(new ActivityCase("fail", StartToCloseMs: 30_000, ScheduleToCloseMs: 1_000, RetryIntervalMs: 60_000));

        Assert.Equal(("System.InvalidOperationException", 1, "nope"), (type, attempts, message));
    }

    [Fact]
    public async Task ScheduleToCloseTimeout_OnlyTimeoutAndAttemptHangs_IsTheScheduleToCloseTimeout()
    {
        var (type, attempts, message) = await RunAsync(new ActivityCase("hang", ScheduleToCloseMs: 500));

        Assert.Equal(("ScheduleToCloseTimeout", 1), (type, attempts));
        Assert.Equal("Activity 'Run': activity schedule-to-close timeout of 0.5 s exceeded (attempt 1).", message);
    }

    [Theory]
    [InlineData("ShippingRejectedException", 1)]
    [InlineData("ServerlessFlow.Engine.Tests.ShippingRejectedException", 1)]
    [InlineData("RejectedException", 3)]
    [InlineData("shippingrejectedexception", 3)]
    public async Task NonRetryableErrorTypes_ShortOrFullName_StopsRetries(string listed, int expectedAttempts)
    {
        var (type, attempts, _) = await RunAsync(new ActivityCase("reject", StartToCloseMs: 30_000, MaxAttempts: 3, NonRetryable: [listed]));

        Assert.Equal(("ServerlessFlow.Engine.Tests.ShippingRejectedException", expectedAttempts), (type, attempts));
    }

    [Theory]
    [InlineData("StartToCloseTimeout")]
    [InlineData("HeartbeatTimeout")]
    [InlineData("ScheduleToCloseTimeout")]
    [InlineData("ScheduleToStartTimeout")]
    public async Task EachTimeout_WorkerStoppedMidActivity_AnotherWorkerEnforcesIt(string timeout)
    {
        // The worker that runs the attempt (or, for schedule-to-start, the only worker that saw the activity scheduled) goes away
        // while the activity is open; a worker that never saw it enforces the timeout from what storage holds.
        var request = timeout switch
        {
            "StartToCloseTimeout" => new ActivityCase("hang", StartToCloseMs: 1_000, MaxAttempts: 1),
            "HeartbeatTimeout" => new ActivityCase("hang", StartToCloseMs: 60_000, HeartbeatTimeoutMs: 1_000, MaxAttempts: 1),
            "ScheduleToCloseTimeout" => new ActivityCase("hang", StartToCloseMs: 60_000, ScheduleToCloseMs: 1_500),
            _ => new ActivityCase("hang", StartToCloseMs: 60_000, ScheduleToStartMs: 1_000, TaskQueue: "nobody"),
        };
        var backend = NewBackend();
        string id;
        await using (var first = new EngineHarness(Register, backend))
        {
            id = (await first.Client.StartWorkflowAsync(nameof(RunsWithOptions), request, new StartWorkflowOptions())).Id;
            var awaited = request.TaskQueue is null ? "Started" : "Scheduled";
            await Eventually.WaitAsync(() => first.Client.DescribeWorkflowAsync(id), d => d.PendingActivities is [{ } pending] && pending.State == awaited);
        }

        await using var second = new EngineHarness(Register, backend);
        var closed = await second.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(60));

        var parts = closed.GetResult<string>()!.Split('|', 3);
        Assert.Equal((timeout, "1"), (parts[0], parts[1]));
        Assert.Contains("timeout of ", parts[2], StringComparison.Ordinal);
    }

    private async Task<(string Type, int Attempts, string Message)> RunAsync(ActivityCase request)
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var closed = await engine.RunAsync(nameof(RunsWithOptions), request);
        var parts = closed.GetResult<string>()!.Split('|', 3);
        return (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]);
    }
}

public sealed class ActivityTimeoutTestsInMemory : ActivityTimeoutTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class ActivityTimeoutTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : ActivityTimeoutTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
