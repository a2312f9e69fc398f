using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Cli.Tests;

/// <summary><c>schedule …</c> against the dev server.</summary>
[Collection(DevServerGroup.Name)]
public sealed class ScheduleCommandTests(DevServerFixture fixture)
{
    private readonly Cli cli = new(fixture.Server.ApiAddress);

    [Fact]
    public async Task ScheduleLifecycle_CreatePauseTriggerBackfillUpdateDelete_EachCommandTakesEffect()
    {
        var id = $"cli-sched/{Guid.NewGuid():N}";

        var created = await cli.JsonAsync("schedule", "create", id, "--interval", "1.00:00:00", "--workflow-type", "HelloSequence",
            "--input", """{"count":1,"delayMs":0}""", "--overlap", "AllowAll", "--note", "made by the CLI test");
        var describe = await cli.RunAsync("schedule", "describe", id);
        var listed = await cli.JsonAsync("schedule", "list", "--limit", "1000");
        var paused = await cli.JsonAsync("schedule", "pause", id, "--note", "maintenance");
        var trigger = await cli.JsonAsync("schedule", "trigger", id);
        var runs = await Polling.UntilAsync(TimeSpan.FromSeconds(60), "the triggered run", async () =>
        {
            var found = await cli.JsonAsync("workflow", "list", "--sa", $"ScheduledById=\"{id}\"");
            return (found.GetProperty("items").GetArrayLength() >= 1, found);
        });
        var backfill = await cli.JsonAsync("schedule", "backfill", id, "--start-at", "2026-01-01T00:00:00Z", "--end-at", "2026-01-03T00:00:00Z");
        var unpaused = await cli.JsonAsync("schedule", "unpause", id);
        // The ETag of creation is stale since the pause: an update conditioned on it is refused and changes nothing.
        var staleUpdate = await cli.RunAsync("schedule", "update", id, "--cron", "0 4 * * *", "--workflow-type", "HelloSequence",
            "--if-match", created.GetProperty("eTag").GetString()!);
        var updated = await cli.JsonAsync("schedule", "update", id, "--cron", "0 3 * * *", "--workflow-type", "HelloSequence");
        var deleted = await cli.RunAsync("schedule", "delete", id);
        var describeDeleted = await cli.RunAsync("schedule", "describe", id);

        Assert.Equal(id, created.GetProperty("id").GetString());
        Assert.Equal(5, created.GetProperty("nextActionTimes").GetArrayLength());
        describe.AssertExit(ExitCodes.Ok);
        Assert.Contains("made by the CLI test", describe.Output, StringComparison.Ordinal);
        Assert.Contains("NEXT ACTION TIMES", describe.Output, StringComparison.Ordinal);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetString() == id);
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal("maintenance", paused.GetProperty("note").GetString());
        Assert.Equal(id, trigger.GetProperty("id").GetString());
        Assert.StartsWith(id + "-", runs.GetProperty("items")[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-01-01T00:00:00+00:00", backfill.GetProperty("startAt").GetString());
        Assert.False(unpaused.GetProperty("paused").GetBoolean());
        Assert.Equal(["0 3 * * *"], updated.GetProperty("definition").GetProperty("spec").GetProperty("cronExpressions").EnumerateArray().Select(c => c.GetString()));
        staleUpdate.AssertExit(ExitCodes.Refused);
        Assert.Contains("urn:serverlessflow:problem:schedule-changed", staleUpdate.Error, StringComparison.Ordinal);
        deleted.AssertExit(ExitCodes.Ok);
        describeDeleted.AssertExit(ExitCodes.Refused);
        Assert.StartsWith("404 ", describeDeleted.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleCreate_WithoutSpecOrType_IsUsageErrorAndCreatesNothing()
    {
        var id = $"cli-sched-bad-{Guid.NewGuid():N}";

        var noSpec = await cli.RunAsync("schedule", "create", id, "--workflow-type", "HelloSequence");
        var noType = await cli.RunAsync("schedule", "create", id, "--cron", "0 3 * * *");
        var badCron = await cli.RunAsync("schedule", "create", id, "--cron", "not a cron", "--workflow-type", "HelloSequence");
        var describe = await cli.RunAsync("schedule", "describe", id);

        noSpec.AssertExit(ExitCodes.Usage);
        noType.AssertExit(ExitCodes.Usage);
        badCron.AssertExit(ExitCodes.Refused);
        Assert.Contains("invalid-request", badCron.Error, StringComparison.Ordinal);
        describe.AssertExit(ExitCodes.Refused);
    }
}
