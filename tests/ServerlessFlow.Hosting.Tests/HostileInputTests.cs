using ServerlessFlow.Hosting.Http;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// Input found to break the API from outside (issue 11): lone surrogates in JSON bodies, identifiers with characters storage
/// refuses once keyed, backfills that start at year 1 or never end, and dot segments. Each is a 400 problem that changes nothing.
/// </summary>
[Collection(ApiServerGroup.Name)]
public sealed class HostileInputTests(ApiServer server)
{
    /// <summary>Identifier suffixes of every refused class, percent-encoded as a client would send them.</summary>
    public static TheoryData<string> RefusedIdSuffixes => new(
        "%E2%80%A8", // U+2028 line separator
        "%E2%80%A9", // U+2029 paragraph separator
        "%0A", // a C0 control
        "%C2%85", // U+0085, a C1 control
        "%EF%BF%BE", // U+FFFE, a noncharacter
        "%EF%B7%90", // U+FDD0, a noncharacter
        "%F0%9F%BF%BF", // U+1FFFF, a noncharacter of plane 1
        "%ED%A0%80"); // U+D800 as (invalid) UTF-8: a lone surrogate

    [Theory]
    [InlineData("POST", "/api/workflows/HelloSequence?id={id}", "\"\\ud800\"")]
    [InlineData("POST", "/api/workflows/HelloSequence?id={id}", """{"count":1,"note":"a\udc00b"}""")]
    [InlineData("POST", "/api/workflows/HelloSequence?id={id}", """{"count":1,"\ud800":1}""")]
    [InlineData("POST", "/api/workflows/HelloSequence?id={id}&envelope=true", """{"input":{"count":1},"memo":{"note":"\ud800"}}""")]
    [InlineData("POST", "/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={id}", """{"signal":{"reviewer":"\udc00"}}""")]
    public async Task Start_LoneSurrogateInBody_Answers400AndStartsNothing(string method, string target, string body)
    {
        var id = ApiCalls.NewId("surrogate");

        var response = await RawHttp.SendAsync(server.Port, method, target.Replace("{id}", id, StringComparison.Ordinal), body);

        var problem = Problems.AssertProblem(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("lone surrogate", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Problems.AssertProblem(await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{id}"), 404, ApiProblems.WorkflowNotFound);
    }

    [Theory]
    [InlineData("signals/decide", """{"approved":true,"reviewer":"\ud800"}""")]
    [InlineData("updates/set-amount", "\"\\udc00\"")]
    [InlineData("queries/status", "[\"\\ud800\"]")]
    public async Task Message_LoneSurrogateInBody_Answers400AndLeavesHistoryAlone(string route, string body)
    {
        var id = await StartLoanAsync();
        var before = await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{id}/history");

        Problems.AssertProblem(await RawHttp.SendAsync(server.Port, "POST", $"/api/workflows/{id}/{route}", body), 400, ApiProblems.InvalidRequest);

        Assert.Equal(before.Body, (await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{id}/history")).Body);
    }

    [Fact]
    public async Task CreateSchedule_LoneSurrogateInActionInput_Answers400AndCreatesNothing()
    {
        var id = ApiCalls.NewId("surrogate-schedule");
        var body = """{"spec":{"intervals":[{"every":"01:00:00"}]},"action":{"workflowType":"HelloSequence","input":{"note":"\ud800"}}}""";

        Problems.AssertProblem(await RawHttp.SendAsync(server.Port, "POST", $"/api/schedules/{id}", body), 400, ApiProblems.InvalidRequest);

        Problems.AssertProblem(await RawHttp.SendAsync(server.Port, "GET", $"/api/schedules/{id}"), 404, ApiProblems.ScheduleNotFound);
    }

    [Theory]
    [MemberData(nameof(RefusedIdSuffixes))]
    public async Task EveryIdRoute_RefusedCharacterClass_Answers400(string suffix)
    {
        var open = await StartLoanAsync();
        var bad = ApiCalls.NewId("bad") + suffix;
        var schedule = ApiCalls.NewId("bad-schedule") + suffix;
        var definition = Definition("01:00:00");
        const string Range = """{"startAt":"2026-01-01T00:00:00Z","endAt":"2026-01-01T02:00:00Z"}""";
        (string Method, string Target, string? Body)[] requests =
        [
            ("POST", $"/api/workflows/HelloSequence?id={bad}", null),
            ("POST", $"/api/workflows/HelloSequence{suffix}?id={ApiCalls.NewId("type")}", null),
            ("POST", $"/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={bad}", null),
            ("POST", $"/api/workflows/LoanApprovalWorkflow/signal-with-start/decide{suffix}?id={ApiCalls.NewId("sws")}", null),
            ("GET", $"/api/workflows/{bad}", null),
            ("GET", $"/api/workflows/{bad}/result", null),
            ("GET", $"/api/workflows/{bad}/history", null),
            ("POST", $"/api/workflows/{bad}/cancel", null),
            ("POST", $"/api/workflows/{bad}/terminate", null),
            ("DELETE", $"/api/workflows/{bad}", null),
            ("POST", $"/api/workflows/{open}/signals/decide{suffix}", null),
            ("POST", $"/api/workflows/{open}/signals/decide?requestId=r{suffix}", """{"approved":true,"reviewer":"bob"}"""),
            ("GET", $"/api/workflows/{open}/queries/status{suffix}", null),
            ("POST", $"/api/workflows/{open}/updates/set-amount{suffix}", "1500"),
            ("POST", $"/api/workflows/{open}/updates/set-amount?updateId=u{suffix}", "1500"),
            ("POST", $"/api/schedules/{schedule}", definition),
            ("GET", $"/api/schedules/{schedule}", null),
            ("PUT", $"/api/schedules/{schedule}", definition),
            ("POST", $"/api/schedules/{schedule}/pause", null),
            ("POST", $"/api/schedules/{schedule}/unpause", null),
            ("POST", $"/api/schedules/{schedule}/trigger", null),
            ("POST", $"/api/schedules/{schedule}/backfill", Range),
            ("DELETE", $"/api/schedules/{schedule}", null),
            ("POST", $"/api/deadletters/wf-default.m{suffix}/replay", null),
            ("DELETE", $"/api/deadletters/wf-default.m{suffix}", null),
        ];
        var history = await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{open}/history");

        foreach (var (method, target, body) in requests)
        {
            var response = await RawHttp.SendAsync(server.Port, method, target, body);
            Assert.True(response.Status == 400, $"{method} {target}: {response.Status} {response.Body}");
            Problems.AssertProblem(response, 400, ApiProblems.InvalidRequest);
        }

        Problems.AssertProblem(await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{bad}"), 400, ApiProblems.InvalidRequest);
        Assert.Equal(history.Body, (await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{open}/history")).Body);
    }

    [Fact]
    public async Task StartWorkflow_KeywordSearchAttributeWithLineSeparator_Answers400()
    {
        var id = ApiCalls.NewId("keyword");
        var body = "{\"input\":{\"count\":1},\"searchAttributes\":{\"" + ApiServer.CustomerId + "\":\"a\\u2028b\"}}";

        var response = await RawHttp.SendAsync(server.Port, "POST", $"/api/workflows/HelloSequence?id={id}&envelope=true", body);

        var problem = Problems.AssertProblem(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("U+2028", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-02T00:00:00Z", "before 1970")]
    [InlineData("1900-01-01T00:00:00Z", "2000-01-01T00:00:00Z", "before 1970")]
    [InlineData("1926-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "before 1970")]
    [InlineData("1990-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "more than 10000 actions")]
    public async Task Backfill_OutOfBounds_Answers400AndChangesNothing(string startAt, string endAt, string why)
    {
        var id = ApiCalls.NewId("backfill");
        Assert.Equal(201, (await RawHttp.SendAsync(server.Port, "POST", $"/api/schedules/{id}", Definition("00:01:00", paused: true))).Status);
        var before = await RawHttp.SendAsync(server.Port, "GET", $"/api/schedules/{id}");

        var response = await RawHttp.SendAsync(server.Port, "POST", $"/api/schedules/{id}/backfill", $$"""{"startAt":"{{startAt}}","endAt":"{{endAt}}"}""");

        var problem = Problems.AssertProblem(response, 400, ApiProblems.InvalidRequest);
        Assert.True(problem.GetProperty("detail").GetString()!.Contains(why.StartsWith("before", StringComparison.Ordinal) ? "1970" : "10000", StringComparison.Ordinal), why);
        Assert.Equal(before.Headers["etag"], (await RawHttp.SendAsync(server.Port, "GET", $"/api/schedules/{id}")).Headers["etag"]);
    }

    [Theory]
    [InlineData("GET", "/api/workflows/..")]
    [InlineData("GET", "/api/workflows/%2E%2E")]
    [InlineData("GET", "/api/workflows/%2e")]
    [InlineData("GET", "/api/workflows/x/%2E%2E")]
    [InlineData("GET", "/api/workflows/x/./result")]
    [InlineData("POST", "/api/workflows/x/signals/%2E%2E")]
    [InlineData("DELETE", "/api/schedules/..")]
    public async Task DotSegment_AnywhereInTheApi_Answers400(string method, string target)
    {
        var response = await RawHttp.SendAsync(server.Port, method, target);

        var problem = Problems.AssertProblem(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("'..' segment", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here", 404, ApiProblems.RouteNotFound)]
    [InlineData("DELETE", "/api/workflows/x/result", 405, ApiProblems.MethodNotAllowed)]
    [InlineData("PATCH", "/api/schedules", 405, ApiProblems.MethodNotAllowed)]
    public async Task UnknownRouteOrMethod_AnswersTheWebServersStatusAsAProblem(string method, string target, int status, string type)
    {
        var response = await RawHttp.SendAsync(server.Port, method, target);

        Problems.AssertProblem(response, status, type);
        Assert.Equal(status == 405, response.Headers.ContainsKey("allow"));
    }

    [Theory]
    [InlineData("/api/workflows/HelloSequence?id={id}", """{"count":"five","delayMs":0}""")]
    [InlineData("/api/workflows/HelloSequence?id={id}&envelope=true", """{"input":[1,2]}""")]
    [InlineData("/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={id}", """{"input":"ann","signal":{"approved":true,"reviewer":"bob"}}""")]
    [InlineData("/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={id}", """{"input":{"applicantId":"ann","amount":1},"signal":1}""")]
    public async Task Start_PayloadNotOfTheParameterType_Answers400AndStartsNothing(string target, string body)
    {
        var id = ApiCalls.NewId("wrong-type");

        var response = await RawHttp.SendAsync(server.Port, "POST", target.Replace("{id}", id, StringComparison.Ordinal), body);

        var problem = Problems.AssertProblem(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("does not fit its parameter", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Problems.AssertProblem(await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{id}"), 404, ApiProblems.WorkflowNotFound);
    }

    private async Task<string> StartLoanAsync()
    {
        var id = ApiCalls.NewId("loan");
        // On a task queue no worker serves: its history stays as it is, so a refused request that changed it would show.
        var start = await RawHttp.SendAsync(
            server.Port, "POST", $"/api/workflows/LoanApprovalWorkflow?id={id}&taskQueue={ApiServer.IdleTaskQueue}", """{"applicantId":"ann","amount":1000}""");
        Assert.True(start.Status == 202, start.Body);
        return id;
    }

    private static string Definition(string every, bool paused = false) =>
        "{\"spec\":{\"intervals\":[{\"every\":\"" + every + "\"}]},\"action\":{\"workflowType\":\"HelloSequence\",\"input\":{\"count\":1,\"delayMs\":0}}"
        + (paused ? ",\"paused\":true}" : "}");
}
