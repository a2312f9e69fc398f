using ServerlessFlow.Hosting.Http;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// A schedule's runs are named "{scheduleId}-{time}". On Azure storage an ID is escaped for table keys ('/' becomes three
/// characters), so a schedule ID within the length limit can still name runs no key can hold: refused when it is written.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class ScheduleRunIdTests(AzuriteFixture azurite)
{
    /// <summary>170 slashes escape to 510 key characters; a run ID adds 21 and passes the 512 the backend allows.</summary>
    private static readonly string TooLongOnceEscaped = new('/', 170);

    /// <summary>150 slashes escape to 450; its run IDs to 471, which fit.</summary>
    private static readonly string LongButFits = new('/', 150);

    [Fact]
    public async Task CreateSchedule_RunIdsTooLongOnceEscaped_Answers400AndCreatesNothing()
    {
        await using var server = await AzureApiServer.StartAsync(azurite);
        var id = "s" + TooLongOnceEscaped;

        var response = await RawHttp.SendAsync(server.Port, "POST", $"/api/schedules/{Uri.EscapeDataString(id)}", Definition("01:00:00"));

        var problem = Problems.AssertProblem(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("cannot name its runs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await server.Backend.Schedules.ReadScheduleAsync(id, CancellationToken.None));
        var fits = await RawHttp.SendAsync(server.Port, "POST", $"/api/schedules/{Uri.EscapeDataString("s" + LongButFits)}", Definition("01:00:00"));
        Assert.True(fits.Status == 201, fits.Body);
    }

    [Fact]
    public async Task ChangeSchedule_LegacyScheduleWithUnkeyableRunIds_Answers400AndChangesNothingButDeleteWorks()
    {
        await using var server = await AzureApiServer.StartAsync(azurite);
        var model = "model-" + Guid.NewGuid().ToString("N");
        var created = await RawHttp.SendAsync(server.Port, "POST", $"/api/schedules/{model}", Definition("01:00:00", paused: true));
        Assert.True(created.Status == 201, created.Body);
        var stored = (await server.Backend.Schedules.ReadScheduleAsync(model, CancellationToken.None))!;

        // As a version that did not check run IDs stored it.
        var id = "s" + TooLongOnceEscaped;
        var legacy = await server.Backend.Schedules.WriteScheduleAsync(stored with { ScheduleId = id, ETag = null, NextWakeAt = null }, CancellationToken.None);
        Assert.NotNull(legacy);
        var path = $"/api/schedules/{Uri.EscapeDataString(id)}";

        foreach (var (method, target, body) in new (string, string, string?)[]
        {
            ("PUT", path, Definition("00:30:00")),
            ("POST", path + "/unpause", null),
            ("POST", path + "/pause", null),
            ("POST", path + "/trigger", null),
            ("POST", path + "/backfill", """{"startAt":"2026-01-01T00:00:00Z","endAt":"2026-01-01T02:00:00Z"}"""),
        })
        {
            var response = await RawHttp.SendAsync(server.Port, method, target, body);
            Assert.True(response.Status == 400, $"{method} {target}: {response.Status} {response.Body}");
        }

        var after = await server.Backend.Schedules.ReadScheduleAsync(id, CancellationToken.None);
        Assert.Equal((legacy.ETag, legacy.StateJson), (after!.ETag, after.StateJson));
        Assert.Equal(204, (await RawHttp.SendAsync(server.Port, "DELETE", path)).Status);
    }

    private static string Definition(string every, bool paused = false) =>
        "{\"spec\":{\"intervals\":[{\"every\":\"" + every + "\"}]},\"action\":{\"workflowType\":\"HelloSequence\",\"input\":{\"count\":1,\"delayMs\":0}}"
        + (paused ? ",\"paused\":true}" : "}");
}
