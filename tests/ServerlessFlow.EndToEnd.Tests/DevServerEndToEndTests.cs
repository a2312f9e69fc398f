using ServerlessFlow.TestSupport;
using Xunit.Abstractions;

namespace ServerlessFlow.EndToEnd.Tests;

/// <summary>
/// The dev server as a real process over HTTP, on Azurite owned by the fixture: the product path a user
/// takes with curl, and a kill -9 in the middle of a workflow followed by a restart.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class DevServerEndToEndTests(AzuriteFixture azurite, ITestOutputHelper output) : IDisposable
{
    /// <summary>The sample activities' start-to-close timeout in these tests: an attempt lost with its worker is taken over after it.</summary>
    private const int ActivityTimeout = 5_000;

    /// <summary>The engine's default slack past an activity timeout before another worker takes over (WorkerOptions.ActivityTimeoutSlack).</summary>
    private static readonly TimeSpan TakeoverSlack = TimeSpan.FromSeconds(2);

    /// <summary>Generous bound for the remaining activities after a takeover, on a loaded 2-core machine.</summary>
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(120);

    private readonly ExecutionLog log = new();

    [Fact]
    public async Task DevServer_StartThenLongPollResult_ReturnsEveryResult()
    {
        await using var server = await DevServerProcess.StartAsync(azurite.ConnectionString, UniquePrefix(), log.Path);
        var id = $"demo-{Guid.NewGuid():N}";

        await server.Client.StartHelloAsync(id, count: 5, delayMs: 200);
        var result = await server.Client.WaitForResultAsync(id, TimeSpan.FromSeconds(90), diagnostics: () => server.Output);

        Assert.Equal("Completed", result.GetProperty("status").GetString());
        Assert.Equal([0, 1, 2, 3, 4], result.GetProperty("result").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task DevServer_IdsWithUrlAndKeyCharacters_RoundTripWithoutCollisions()
    {
        // Table keys forbid / \ # ? and the URL gives them meaning: both layers must escape reversibly.
        await using var server = await DevServerProcess.StartAsync(azurite.ConnectionString, UniquePrefix(), log.Path);
        var stem = $"orders-{Guid.NewGuid():N}";
        string[] ids = [stem + "/1", stem + "%2F1", stem + "\\1", stem + "#1?x=1"];

        var runs = new List<string>();
        foreach (var id in ids)
        {
            runs.Add((await server.Client.StartHelloAsync(id, count: 1, delayMs: 0)).GetProperty("runId").GetString()!);
        }

        for (var i = 0; i < ids.Length; i++)
        {
            var result = await server.Client.WaitForResultAsync(ids[i], TimeSpan.FromSeconds(60), diagnostics: () => server.Output);
            Assert.Equal(ids[i], result.GetProperty("id").GetString());
            Assert.Equal(runs[i], result.GetProperty("runId").GetString());
            Assert.Equal("Completed", result.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task DevServer_KilledAfterTheSecondActivityCompleted_ResumesWithoutRerunningCompletedActivities()
    {
        var prefix = UniquePrefix();
        var id = $"kill-{Guid.NewGuid():N}";
        var first = await DevServerProcess.StartAsync(azurite.ConnectionString, prefix, log.Path);
        int completedBeforeKill;
        try
        {
            await first.Client.StartHelloAsync(id, count: 5, delayMs: 1000, timeoutMs: ActivityTimeout);

            // "Completed" means recorded in history, not merely executed: only then does the design promise it never runs again.
            await Polling.UntilAsync(TimeSpan.FromSeconds(60), "two ActivityCompleted events", async () =>
            {
                var completed = (await first.Client.HistoryAsync(id)).OfKind("ActivityCompleted").Count;
                return (completed >= 2, completed);
            }, () => first.Output);
            await first.KillAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await DevServerProcess.StartAsync(azurite.ConnectionString, prefix, log.Path);
        completedBeforeKill = (await second.Client.HistoryAsync(id)).OfKind("ActivityCompleted").Count;
        Assert.True(completedBeforeKill < 5, "The workflow finished before the kill, so the test proved nothing; the kill must land mid-workflow.");

        var restarted = DateTimeOffset.UtcNow;
        var result = await second.Client.WaitForResultAsync(id, RecoveryTimeout, diagnostics: () => second.Output + log.Dump());
        output.WriteLine($"Killed with {completedBeforeKill} activities completed; the restarted server finished the workflow in {(DateTimeOffset.UtcNow - restarted).TotalSeconds:F1} s.");

        Assert.Equal("Completed", result.GetProperty("status").GetString());
        Assert.Equal([0, 1, 2, 3, 4], result.GetProperty("result").EnumerateArray().Select(e => e.GetInt32()));
        var history = await second.Client.HistoryAsync(id);
        var completions = history.OfKind("ActivityCompleted");
        Assert.Equal(5, completions.Count);
        Assert.Equal([0, 1, 2, 3, 4], completions.Select(e => e.GetProperty("result").GetInt32()));

        // Every activity whose completion was committed before the kill ran exactly once; the one in
        // flight at the kill may have run twice (at-least-once), and every one ran at least once.
        var executions = log.ExecutionsByIndex(id);
        output.WriteLine("Executions by activity index: " + string.Join(", ", executions.OrderBy(e => e.Key).Select(e => $"{e.Key}×{e.Value}")));
        for (var index = 0; index < 5; index++)
        {
            var count = executions.GetValueOrDefault(index);
            Assert.True(index < completedBeforeKill ? count == 1 : count >= 1, $"Activity {index} ran {count} times (completed before the kill: {completedBeforeKill}).{Environment.NewLine}{log.Dump()}");
        }
    }

    [Fact]
    public async Task DevServer_KilledMidFanOut_CompletesWithEachActivityResultRecordedOnce()
    {
        const int count = 300;
        var prefix = UniquePrefix();
        var id = $"kill-fanout-{Guid.NewGuid():N}";
        var first = await DevServerProcess.StartAsync(azurite.ConnectionString, prefix, log.Path);
        try
        {
            // More activities than one 100-operation transaction holds, each slow enough that the kill lands while most are open.
            await first.Client.StartHelloAsync(id, count, delayMs: 500, timeoutMs: ActivityTimeout, type: "HelloFanOut");
            await Polling.UntilAsync(RecoveryTimeout, "ten ActivityCompleted events", async () =>
            {
                var completed = (await first.Client.HistoryAsync(id)).OfKind("ActivityCompleted").Count;
                return (completed >= 10, completed);
            }, () => first.Output);
            await first.KillAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await DevServerProcess.StartAsync(azurite.ConnectionString, prefix, log.Path);
        var completedBeforeKill = (await second.Client.HistoryAsync(id)).OfKind("ActivityCompleted").Select(e => e.GetProperty("result").GetInt32()).ToHashSet();
        Assert.True(completedBeforeKill.Count < count, "The fan-out finished before the kill, so the test proved nothing; the kill must land mid-fan-out.");

        var result = await second.Client.WaitForResultAsync(id, RecoveryTimeout, diagnostics: () => second.Output + log.Dump());

        Assert.Equal("Completed", result.GetProperty("status").GetString());
        Assert.Equal(Enumerable.Range(0, count), result.GetProperty("result").EnumerateArray().Select(e => e.GetInt32()));
        var history = await second.Client.HistoryAsync(id);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.GetProperty("eventId").GetInt32()));
        Assert.Equal(Enumerable.Range(0, count), history.OfKind("ActivityCompleted").Select(e => e.GetProperty("result").GetInt32()).Order());

        // Activities recorded before the kill never ran again; the others ran at least once (at-least-once across the kill).
        var executions = log.ExecutionsByIndex(id);
        output.WriteLine($"Killed with {completedBeforeKill.Count} of {count} recorded; {executions.Values.Sum()} executions.");
        for (var index = 0; index < count; index++)
        {
            var ran = executions.GetValueOrDefault(index);
            Assert.True(completedBeforeKill.Contains(index) ? ran == 1 : ran >= 1, $"Activity {index} ran {ran} times (recorded before the kill: {completedBeforeKill.Contains(index)}).");
        }
    }

    [Fact]
    public async Task DevServer_KilledMidAttempt_AttemptTimedOutWithinItsTimeoutAndRetriedOnAnotherServer()
    {
        var prefix = UniquePrefix();
        var id = $"midattempt-{Guid.NewGuid():N}";
        var first = await DevServerProcess.StartAsync(azurite.ConnectionString, prefix, log.Path);
        DateTimeOffset attemptStarted;
        try
        {
            await first.Client.StartHelloAsync(id, count: 1, delayMs: 2_000, timeoutMs: ActivityTimeout);
            var running = await Polling.UntilAsync(TimeSpan.FromSeconds(60), "the first attempt to start", async () =>
            {
                var pending = (await first.Client.DescribeAsync(id)).GetProperty("pendingActivities");
                var started = pending.GetArrayLength() == 1 && pending[0].GetProperty("state").GetString() == "Started";
                return (started, started ? pending[0] : default);
            }, () => first.Output);
            attemptStarted = running.GetProperty("startedAt").GetDateTimeOffset();
            await first.KillAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await DevServerProcess.StartAsync(azurite.ConnectionString, prefix, log.Path);
        var result = await second.Client.WaitForResultAsync(id, RecoveryTimeout, diagnostics: () => second.Output + log.Dump());

        Assert.Equal("Completed", result.GetProperty("status").GetString());
        var completed = Assert.Single((await second.Client.HistoryAsync(id)).OfKind("ActivityCompleted"));
        Assert.Equal(2, completed.GetProperty("attempt").GetInt32());

        // The lost attempt is detected at its own timeout plus the documented slack, not after a queue visibility window;
        // the retry then runs for its 2 s delay. Allow for process start on a loaded machine and for one idle poll at the
        // 10 s ceiling of the poll back-off (the second server may have backed off while waiting for the timeout check).
        var recovered = completed.GetProperty("timestamp").GetDateTimeOffset() - attemptStarted;
        output.WriteLine($"Attempt 1 started at {attemptStarted:O}; attempt 2 completed {recovered.TotalSeconds:F1} s later.");
        var pollCeiling = TimeSpan.FromSeconds(10);
        Assert.InRange(recovered, TimeSpan.FromMilliseconds(ActivityTimeout) + TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(ActivityTimeout) + TakeoverSlack + TimeSpan.FromSeconds(2) + pollCeiling + TimeSpan.FromSeconds(8));
        Assert.Equal(1, log.ExecutionsByIndex(id).GetValueOrDefault(0)); // attempt 1 died before its side effect (the log line at the end)
    }

    [Fact]
    public async Task DevServer_ScheduleEvery2Seconds_EveryTimeRunsOnceAcrossKillAndRestart()
    {
        var prefix = UniquePrefix();
        var scheduleId = $"tick-{Guid.NewGuid():N}";
        var first = await DevServerProcess.StartAsync(azurite.ConnectionString, prefix, log.Path);
        DateTimeOffset killedAt;
        try
        {
            await first.Client.CreateScheduleAsync(scheduleId, """
                {"spec":{"intervals":[{"every":"00:00:02"}]},
                 "action":{"workflowType":"HelloSequence","input":{"count":1,"delayMs":0}},
                 "policies":{"overlap":"AllowAll"}}
                """);
            await Polling.UntilAsync(TimeSpan.FromSeconds(60), "two scheduled runs", async () =>
            {
                var runs = await first.Client.ScheduledRunsAsync(scheduleId);
                return (runs.Count >= 2, runs.Count > 0 ? runs[^1].Nominal : default);
            }, () => first.Output);
            await first.KillAsync();
            killedAt = DateTimeOffset.UtcNow;
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The outage lasts until at least two more schedule times have come due with no process running (counted from the kill,
        // not from the last run seen: on a loaded machine that run's time may be seconds behind the clock).
        var outageCovers = killedAt + TimeSpan.FromSeconds(5);
        await Polling.UntilAsync(TimeSpan.FromSeconds(30), "two schedule times to come due during the outage", () =>
            Task.FromResult((DateTimeOffset.UtcNow >= outageCovers, true)));
        var restarting = DateTimeOffset.UtcNow;
        await using var second = await DevServerProcess.StartAsync(azurite.ConnectionString, prefix, log.Path);
        var restartedAt = DateTimeOffset.UtcNow;
        var all = await Polling.UntilAsync(TimeSpan.FromSeconds(90), "runs for the times after the restart", async () =>
        {
            var runs = await second.Client.ScheduledRunsAsync(scheduleId);
            return (runs.Count > 0 && runs[^1].Nominal >= restartedAt + TimeSpan.FromSeconds(4), runs);
        }, () => second.Output);
        output.WriteLine(string.Join(Environment.NewLine, all.Select(r => $"{r.Nominal:HH:mm:ss} started {(r.StartedAt - r.Nominal).TotalSeconds:F2} s later")));

        // Every time from the first to the last has exactly one run, outage included: no gap, no time twice.
        Assert.Equal(all.Count, all.Select(r => r.Id).Distinct().Count());
        for (var i = 1; i < all.Count; i++)
        {
            Assert.Equal(TimeSpan.FromSeconds(2), all[i].Nominal - all[i - 1].Nominal);
        }

        var missed = all.Where(r => r.Nominal > killedAt && r.Nominal < restarting).ToList();
        Assert.True(missed.Count >= 2, $"only {missed.Count} times fell into the outage");
        Assert.All(missed, r => Assert.True(r.StartedAt >= restarting, $"{r.Id} started before the restart"));

        // No time started before it came due. (How late a time starts depends on the machine's load: a benchmark's figure, not a test's.)
        Assert.All(all, r => Assert.True(r.StartedAt >= r.Nominal, $"{r.Id} started {(r.Nominal - r.StartedAt).TotalSeconds:F2} s early"));
    }

    public void Dispose() => log.Dispose();

    /// <summary>A prefix of its own per test, so that tests never see each other's tables and queues.</summary>
    private static string UniquePrefix() => "e2e" + Guid.NewGuid().ToString("N")[..12];
}
