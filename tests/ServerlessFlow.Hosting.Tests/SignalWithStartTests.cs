using System.Net;
using System.Text.Json;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>Signal-with-start over HTTP, with LoanApprovalWorkflow (signal "decide") and <see cref="ProbeWorkflow"/> (signal "note").</summary>
[Collection(ApiServerGroup.Name)]
public sealed class SignalWithStartTests(ApiServer server)
{
    private const string Application = """{"applicantId":"ann","amount":1000}""";
    private const string Approval = """{"approved":true,"reviewer":"bob"}""";

    private HttpClient Client => server.Client;

    [Fact]
    public async Task SignalWithStart_NoOpenRun_StartsItWithTheInputAndDeliversTheSignal()
    {
        var id = ApiCalls.NewId("sws-new");

        var response = await SignalWithStartAsync("LoanApprovalWorkflow", "decide", $"id={id}", $$"""{"input":{{Application}},"signal":{{Approval}}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal((id, "decide"), (body.GetProperty("id").GetString(), body.GetProperty("signal").GetString()));
        Assert.Equal($"/api/workflows/{id}", response.Headers.Location?.OriginalString);
        var result = await (await Client.ResultAsync(id, 30)).JsonAsync();
        Assert.Equal("approved by bob", result.GetProperty("result").GetString());
        Assert.Equal(body.GetProperty("runId").GetString(), result.GetProperty("runId").GetString());
        var described = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();
        Assert.Equal("ann", described.GetProperty("input").GetProperty("applicantId").GetString());
    }

    [Fact]
    public async Task SignalWithStart_OpenRun_SignalsItWithoutStartingAnother()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();
        var runId = (await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync()).GetProperty("runId").GetString();

        var response = await SignalWithStartAsync("LoanApprovalWorkflow", "decide", $"id={id}", $$"""{"input":{"applicantId":"other","amount":1},"signal":{{Approval}}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(runId, (await response.JsonAsync()).GetProperty("runId").GetString());
        var result = await (await Client.ResultAsync(id, 30)).JsonAsync();
        Assert.Equal((runId, "approved by bob"), (result.GetProperty("runId").GetString(), result.GetProperty("result").GetString()));
    }

    [Fact]
    public async Task SignalWithStart_RepeatedRequestId_DeliversTheSignalOnce()
    {
        var id = ApiCalls.NewId("sws-once");

        var first = await SignalWithStartAsync(nameof(ProbeWorkflow), "note", $"id={id}&requestId=r1", """{"signal":"a"}""");
        var repeated = await SignalWithStartAsync(nameof(ProbeWorkflow), "note", $"id={id}&requestId=r1", """{"signal":"a again"}""");
        var other = await SignalWithStartAsync(nameof(ProbeWorkflow), "note", $"id={id}&requestId=r2", """{"signal":"b"}""");

        Assert.All([first, repeated, other], r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var notes = await ApiCalls.PollAsync(() => Client.QueryStringAsync(id, "notes"), json => json?.Contains("\"b\"", StringComparison.Ordinal) == true, $"Note b reaching {id}");
        Assert.Equal(["a", "b"], JsonSerializer.Deserialize<List<string>>(notes!));
    }

    [Fact]
    public async Task SignalWithStart_EmptyBody_StartsWithoutInputAndSignalsWithoutArgument()
    {
        var id = ApiCalls.NewId("sws-empty");

        var response = await SignalWithStartAsync(nameof(ProbeWorkflow), "open-gate", $"id={id}", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var described = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();
        Assert.Equal(JsonValueKind.Null, described.GetProperty("input").ValueKind);
    }

    [Fact]
    public async Task SignalWithStart_WithoutId_Returns400Problem()
    {
        var response = await SignalWithStartAsync("LoanApprovalWorkflow", "decide", "", $$"""{"input":{{Application}}}""");

        var problem = await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("?id=", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"input\"")]
    [InlineData("""{"input":{},"args":{}}""")]
    [InlineData("""{"Input":{}}""")]
    [InlineData("""{"signal":1,"signal":2}""")]
    [InlineData("""{"input":""")]
    public async Task SignalWithStart_BodyNotInputAndSignal_Returns400Problem(string body)
    {
        var id = ApiCalls.NewId("sws-bad");

        var response = await SignalWithStartAsync("LoanApprovalWorkflow", "decide", $"id={id}", body);

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        await Problems.AssertProblemAsync(await Client.GetAsync($"/api/workflows/{id}"), 404, ApiProblems.WorkflowNotFound);
    }

    [Fact]
    public async Task SignalWithStart_StartDelay_StartsTheRunDelayedWithTheSignalKeptInItsInbox()
    {
        var id = ApiCalls.NewId("sws-delayed");

        var response = await SignalWithStartAsync("LoanApprovalWorkflow", "decide", $"id={id}&startDelay=3600", $$"""{"input":{{Application}},"signal":{{Approval}}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var described = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();
        Assert.Equal(("Running", 1L), (described.GetProperty("status").GetString(), described.GetProperty("historyLength").GetInt64()));
        Assert.Equal(JsonValueKind.String, described.GetProperty("firstTaskDueAt").ValueKind);
    }

    [Fact]
    public async Task SignalWithStart_NegativeStartDelay_Returns400ProblemAndStartsNothing()
    {
        var id = ApiCalls.NewId("sws-delay-bad");

        var response = await SignalWithStartAsync("LoanApprovalWorkflow", "decide", $"id={id}&startDelay=-5", $$"""{"input":{{Application}},"signal":{{Approval}}}""");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        await Problems.AssertProblemAsync(await Client.GetAsync($"/api/workflows/{id}"), 404, ApiProblems.WorkflowNotFound);
    }

    [Fact]
    public async Task SignalWithStart_UnknownType_Returns404Problem()
    {
        var response = await SignalWithStartAsync("NoSuchWorkflow", "decide", $"id={ApiCalls.NewId("sws-type")}", null);

        var problem = await Problems.AssertProblemAsync(response, 404, ApiProblems.UnknownWorkflowType);
        Assert.Equal("NoSuchWorkflow", problem.GetProperty("workflowType").GetString());
    }

    [Fact]
    public async Task SignalWithStart_UnknownSignal_Returns400ProblemAndStartsNothing()
    {
        var id = ApiCalls.NewId("sws-signal");
        var response = await SignalWithStartAsync("LoanApprovalWorkflow", "nope", $"id={id}", $$"""{"input":{{Application}}}""");

        var problem = await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("decide", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var describe = await Client.GetAsync($"/api/workflows/{Uri.EscapeDataString(id)}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, describe.StatusCode);
    }

    private Task<HttpResponseMessage> SignalWithStartAsync(string type, string signal, string query, string? body) =>
        Client.PostJsonAsync($"/api/workflows/{type}/signal-with-start/{signal}" + (query.Length > 0 ? "?" + query : ""), body ?? "");
}
