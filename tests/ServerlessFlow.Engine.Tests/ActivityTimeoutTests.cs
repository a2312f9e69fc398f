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
