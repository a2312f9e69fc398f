using System.Globalization;
using System.Net;
using System.Text.Json;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

[Collection(ApiServerGroup.Name)]
public sealed class ScheduleEndpointTests(ApiServer server)
{
    private const string Action = """{"workflowType":"HelloSequence","input":{"count":1,"delayMs":0}}""";

    private HttpClient Client => server.Client;

    [Fact]
    public async Task Schedules_CreateDescribeUpdatePauseTriggerBackfillDelete_RoundTripOverHttp()
    {
        var id = ApiCalls.NewId("schedule");
        var url = $"/api/schedules/{id}";

        // Create, paused, with a note.
        var create = await Client.PostJsonAsync(url, $$"""{"spec":{"intervals":[{"every":"01:00:00"}]},"action":{{Action}},"policies":{"overlap":"AllowAll"},"paused":true,"note":"not yet"}""");
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal(url, create.Headers.Location?.OriginalString);
        var created = await create.JsonAsync();
        Assert.Equal(id, created.GetProperty("id").GetString());
        Assert.True(created.GetProperty("paused").GetBoolean());
        Assert.Equal("not yet", created.GetProperty("note").GetString());
        Assert.Equal("AllowAll", created.GetProperty("definition").GetProperty("policies").GetProperty("overlap").GetString());
        Assert.Equal("01:00:00", created.GetProperty("definition").GetProperty("spec").GetProperty("intervals")[0].GetProperty("every").GetString());
        Assert.Equal(create.Headers.ETag?.ToString(), created.GetProperty("eTag").GetString());
        await Problems.AssertProblemAsync(await Client.PostJsonAsync(url, Definition("02:00:00")), 409, ApiProblems.ScheduleAlreadyExists);

        // Describe and list.
        var describe = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, describe.StatusCode);
        var etag = describe.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Contains(await ListIdsAsync(), listed => listed == id);

        // Update with the current ETag.
        var update = await PutAsync(url, Definition("00:30:00"), etag.ToString());
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var updated = await update.JsonAsync();
        Assert.Equal("00:30:00", updated.GetProperty("definition").GetProperty("spec").GetProperty("intervals")[0].GetProperty("every").GetString());
        Assert.NotEqual(etag.ToString(), update.Headers.ETag?.ToString());

        // Pause and unpause, with notes.
        var paused = await (await Client.PostAsync($"{url}/pause?note={Uri.EscapeDataString("maintenance window")}", null)).JsonAsync();
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal("maintenance window", paused.GetProperty("note").GetString());
        var unpause = await Client.PostAsync($"{url}/unpause?note=back", null);
        Assert.Equal(HttpStatusCode.OK, unpause.StatusCode);
        Assert.False((await unpause.JsonAsync()).GetProperty("paused").GetBoolean());

        // Trigger now, then backfill two hours: each is a run found by the built-in ScheduledById attribute.
        var trigger = await Client.PostAsync($"{url}/trigger?overlap=allowall", null);
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        Assert.Equal("AllowAll", (await trigger.JsonAsync()).GetProperty("overlap").GetString());
        await ApiCalls.PollAsync(() => ScheduledRunsAsync(id), runs => runs >= 1, $"The triggered run of {id} being listed");
        var hour = DateTimeOffset.UtcNow.AddHours(-3);
        var start = new DateTimeOffset(hour.Year, hour.Month, hour.Day, hour.Hour, 0, 0, TimeSpan.Zero);
        var backfill = await Client.PostJsonAsync($"{url}/backfill", $$"""{"startAt":"{{Iso(start)}}","endAt":"{{Iso(start.AddHours(2))}}","overlap":"BufferAll"}""");
        Assert.Equal(HttpStatusCode.Accepted, backfill.StatusCode);
        Assert.Equal("BufferAll", (await backfill.JsonAsync()).GetProperty("overlap").GetString());
        await ApiCalls.PollAsync(() => ScheduledRunsAsync(id), runs => runs >= 5, $"The trigger and the four half-hours backfilled of {id} being listed");

        // Delete: gone for every route.
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync(url)).StatusCode);
        await Problems.AssertProblemAsync(await Client.GetAsync(url), 404, ApiProblems.ScheduleNotFound);
        Assert.DoesNotContain(await ListIdsAsync(), listed => listed == id);
    }

    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("H * * * *")]
    [InlineData("every day")]
    [InlineData("CRON_TZ=Mars/Olympus_Mons 0 9 * * *")]
    public async Task CreateSchedule_InvalidCron_Returns400Problem(string cron)
    {
        var id = ApiCalls.NewId("bad-cron");

        var response = await Client.PostJsonAsync($"/api/schedules/{id}", $$"""{"spec":{"cronExpressions":[{{JsonSerializer.Serialize(cron)}}]},"action":{{Action}}}""");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        await Problems.AssertProblemAsync(await Client.GetAsync($"/api/schedules/{id}"), 404, ApiProblems.ScheduleNotFound);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"spec\":")]
    [InlineData($$"""{"action":{{Action}}}""")]
    [InlineData("""{"spec":{}}""")]
    [InlineData($$"""{"spec":{},"action":{{Action}},"colour":"red"}""")]
    [InlineData($$"""{"spec":{},"spec":{},"action":{{Action}}}""")]
    [InlineData($$"""{"spec":null,"action":{{Action}}}""")]
    [InlineData("""{"spec":{},"action":{"input":1}}""")]
    [InlineData($$"""{"spec":{"intervals":[{"every":"5 minutes"}]},"action":{{Action}}}""")]
    [InlineData($$"""{"spec":{"intervals":[{"offset":"00:01:00"}]},"action":{{Action}}}""")]
    [InlineData($$"""{"spec":{"cronExpressions":[null]},"action":{{Action}}}""")]
    [InlineData($$"""{"spec":{"startAt":"2026-01-01T00:00:00"},"action":{{Action}}}""")]
    [InlineData($$$"""{"spec":{},"action":{{{Action}}},"policies":{"overlap":"Sometimes"}}""")]
    [InlineData($$$"""{"spec":{},"action":{{{Action}}},"policies":{"overlap":1}}""")]
    [InlineData($$"""{"spec":{},"action":{{Action}},"policies":null}""")]
    [InlineData($$"""{"spec":{},"action":{{Action}},"paused":"yes"}""")]
    public async Task CreateSchedule_MalformedBody_Returns400Problem(string body)
    {
        var response = await Client.PostJsonAsync($"/api/schedules/{ApiCalls.NewId("malformed")}", body);

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task UpdateSchedule_StaleIfMatch_Returns412Problem()
    {
        var id = ApiCalls.NewId("stale");
        var url = $"/api/schedules/{id}";
        var created = await Client.PostJsonAsync(url, Definition("01:00:00"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var original = created.Headers.ETag!.ToString();
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(url, Definition("00:20:00"), original)).StatusCode);

        var response = await PutAsync(url, Definition("00:10:00"), original);

        var problem = await Problems.AssertProblemAsync(response, 412, ApiProblems.ScheduleChanged);
        Assert.Equal(id, problem.GetProperty("scheduleId").GetString());
        var current = await (await Client.GetAsync(url)).JsonAsync();
        Assert.Equal("00:20:00", current.GetProperty("definition").GetProperty("spec").GetProperty("intervals")[0].GetProperty("every").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(url, Definition("00:10:00"), "*")).StatusCode);
        await Client.DeleteAsync(url);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("\"a\", \"b\"")]
    [InlineData("\"unterminated")]
    public async Task UpdateSchedule_MalformedIfMatch_Returns400Problem(string ifMatch)
    {
        var response = await PutAsync($"/api/schedules/{ApiCalls.NewId("if-match")}", Definition("01:00:00"), ifMatch);

        var problem = await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("If-Match", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PUT", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/pause")]
    [InlineData("POST", "/unpause")]
    [InlineData("POST", "/trigger")]
    [InlineData("POST", "/backfill")]
    public async Task UnknownSchedule_EveryRoute_Returns404Problem(string method, string suffix)
    {
        var id = ApiCalls.NewId("no-schedule");
        var body = (method, suffix) switch
        {
            ("PUT", _) => Definition("01:00:00"),
            (_, "/backfill") => """{"startAt":"2026-01-01T00:00:00Z","endAt":"2026-01-02T00:00:00Z"}""",
            _ => null,
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/schedules/{id}{suffix}") { Content = body is null ? null : ApiCalls.Json(body) };

        var response = await Client.SendAsync(request);

        var problem = await Problems.AssertProblemAsync(response, 404, ApiProblems.ScheduleNotFound);
        Assert.Equal(id, problem.GetProperty("scheduleId").GetString());
    }

    [Theory]
    [InlineData("""{"startAt":"2026-01-02T00:00:00Z","endAt":"2026-01-02T00:00:00Z"}""")]
    [InlineData("""{"startAt":"2026-01-02T00:00:00Z","endAt":"2026-01-01T00:00:00Z"}""")]
    [InlineData("""{"startAt":"2026-01-02T00:00:00Z"}""")]
    [InlineData("""{"startAt":"yesterday","endAt":"2026-01-01T00:00:00Z"}""")]
    [InlineData("""{"startAt":"2026-01-01T00:00:00Z","endAt":"2026-01-02T00:00:00Z","overlap":"Whenever"}""")]
    [InlineData("")]
    public async Task BackfillSchedule_BadRange_Returns400Problem(string body)
    {
        var response = await Client.PostJsonAsync($"/api/schedules/{ApiCalls.NewId("backfill")}/backfill", body);

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task TriggerSchedule_UnknownOverlapPolicy_Returns400Problem()
    {
        var response = await Client.PostAsync($"/api/schedules/{ApiCalls.NewId("trigger")}/trigger?overlap=Sometimes", null);

        var problem = await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("BufferAll", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string Definition(string every) =>
        $$$"""{"spec":{"intervals":[{"every":"{{{every}}}"}]},"action":{{{Action}}},"policies":{"overlap":"AllowAll"}}""";

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> PutAsync(string url, string body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = ApiCalls.Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await Client.SendAsync(request);
    }

    private async Task<List<string>> ListIdsAsync()
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await (await Client.GetAsync("/api/schedules?pageSize=1000" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)))).JsonAsync();
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null);
        return ids;
    }

    private async Task<int> ScheduledRunsAsync(string scheduleId)
    {
        var response = await Client.GetAsync($"/api/workflows?pageSize=1000&sa.ScheduledById={Uri.EscapeDataString(scheduleId)}");
        return response.IsSuccessStatusCode ? (await response.JsonAsync()).GetProperty("items").GetArrayLength() : -1;
    }
}
