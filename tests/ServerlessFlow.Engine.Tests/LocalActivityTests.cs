using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

public abstract class LocalActivityTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<LocalThenSignal>().AddWorkflow<LocalRetries>().AddWorkflow<LocalWindow>()
        .AddActivities<CountingSteps>().AddActivities<AttemptWindowSteps>();

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task LocalActivity_RunsInTheTask_RecordedAsMarkerAndNeverRunAgain()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = NewId("local");
        await engine.Client.StartWorkflowAsync(nameof(LocalThenSignal), null, new StartWorkflowOptions { Id = id });
        await Eventually.WaitAsync(() => engine.Client.GetHistoryAsync(id), h => h.OfType<LocalActivityMarkerRecorded>().Any());
        var callsWhenRecorded = CountingSteps.CallsOf(id); // 1, unless a task that ran it lost its commit (the documented trade-off)

        await engine.Client.SignalWorkflowAsync(id, "Go", null);
        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        var history = await engine.Client.GetHistoryAsync(id);
        var marker = Assert.Single(history.OfType<LocalActivityMarkerRecorded>());
        Assert.Equal(("Count", 1), (marker.ActivityName, marker.Attempt));
        Assert.Equal(marker.Result!.Value.GetInt32(), closed.GetResult<int>());
        Assert.Empty(history.OfType<ActivityScheduled>());
        Assert.Equal(callsWhenRecorded, CountingSteps.CallsOf(id)); // the later task used the marker

        // A fresh replay takes the result from the marker: no worker, no activity registered, no call.
        Replaying.New(typeof(LocalThenSignal), nameof(LocalThenSignal), id, closed.RunId).Replay(history);
        Assert.Equal(callsWhenRecorded, CountingSteps.CallsOf(id));
    }

    [Fact]
    public async Task LocalActivity_FailsTwice_RetriedInsideTheTask()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = NewId("local-retry");

        var closed = await engine.RunAsync(nameof(LocalRetries), new LocalRetryCase(2, 0, TimeSpan.FromMilliseconds(10)), id);

        Assert.Equal("completed after 3 calls", closed.GetResult<string>());
        var marker = Assert.Single((await engine.Client.GetHistoryAsync(id)).OfType<LocalActivityMarkerRecorded>());
        Assert.Equal(3, marker.Attempt);
        Assert.Empty((await engine.Client.GetHistoryAsync(id)).OfType<TimerStarted>());
    }

    [Fact]
    public async Task LocalActivity_AttemptsExhausted_RaisesActivityFailure()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = NewId("local-fail");

        var closed = await engine.RunAsync(nameof(LocalRetries), new LocalRetryCase(5, 2, TimeSpan.FromMilliseconds(10)), id);

        Assert.Equal("failed after 2 attempts: call 2 fails", closed.GetResult<string>());
        Assert.Equal(2, CountingSteps.CallsOf(id));
    }

    [Fact]
    public async Task LocalActivity_Attempt_SeesItsStartAndDeadlineInActivityInfo()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(LocalWindow), TimeSpan.FromSeconds(7), NewId("local-window"));

        Assert.Equal("7 s", closed.GetResult<string>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(60 * 24 * 60 * 60)] // 60 days: past what one process can time.
    public async Task LocalActivity_TimeoutOutOfRange_RefusedToTheCodeNamingTheRange(int seconds)
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var closed = await engine.RunAsync(nameof(LocalWindow), TimeSpan.FromSeconds(seconds), NewId("local-bad-timeout"));

        Assert.StartsWith("refused: Local activity 'Window' has StartToCloseTimeout", closed.GetResult<string>(), StringComparison.Ordinal);
        Assert.Contains("more than zero and at most 30 days", closed.GetResult<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalActivity_BackoffLongerThanThreshold_WaitsOnADurableTimer()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = NewId("local-timer");

        var closed = await engine.RunAsync(nameof(LocalRetries), new LocalRetryCase(1, 0, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50)), id);

        // Call 1 fails and backs off; a later call succeeds (the 2nd, or later if a task that ran one lost its commit).
        Assert.StartsWith("completed after ", closed.GetResult<string>(), StringComparison.Ordinal);
        var calls = CountingSteps.CallsOf(id);
        var history = await engine.Client.GetHistoryAsync(id);
        var markers = history.OfType<LocalActivityMarkerRecorded>().ToList();
        Assert.Equal([(1, true), (2, false)], markers.Select(m => (m.Attempt, m.Backoff is not null)));
        var timer = Assert.Single(history.OfType<TimerStarted>());
        Assert.True(timer.EventId > markers[0].EventId && timer.EventId < markers[1].EventId);
        Assert.Single(history.OfType<TimerFired>());
        Replaying.New(typeof(LocalRetries), nameof(LocalRetries), id, closed.RunId).Replay(history);
        Assert.Equal(calls, CountingSteps.CallsOf(id));
    }
}

public sealed class LocalActivityTestsInMemory : LocalActivityTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class LocalActivityTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : LocalActivityTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
