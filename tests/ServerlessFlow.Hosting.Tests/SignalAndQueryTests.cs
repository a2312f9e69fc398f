using System.Net;
using System.Text.Json;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>Signals and queries over HTTP, with the LoanApprovalWorkflow sample (signal "decide", query "status").</summary>
[Collection(ApiServerGroup.Name)]
public sealed class SignalAndQueryTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Signal_WaitingWorkflow_Returns202AndTheWorkflowActsOnIt()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var signal = await Client.PostAsync($"/api/workflows/{id}/signals/decide?requestId=r1", Json("""{"approved":true,"reviewer":"bob"}"""));

        Assert.Equal(HttpStatusCode.Accepted, signal.StatusCode);
        Assert.Equal("decide", (await signal.JsonAsync()).GetProperty("signal").GetString());
        var result = await (await Client.ResultAsync(id, 30)).JsonAsync();
        Assert.Equal("Completed", result.GetProperty("status").GetString());
        Assert.Equal("approved by bob", result.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Query_GetAndPost_AnswerFromTheWorkflowState()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var viaGet = await Client.GetAsync($"/api/workflows/{id}/queries/status");
        var viaPost = await Client.PostAsync($"/api/workflows/{id}/queries/status", null);

        Assert.Equal(HttpStatusCode.OK, viaGet.StatusCode);
        Assert.Equal("awaiting-decision", (await viaGet.JsonAsync()).GetProperty("result").GetString());
        Assert.Equal(HttpStatusCode.OK, viaPost.StatusCode);
        Assert.Equal("awaiting-decision", (await viaPost.JsonAsync()).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Signal_UnknownName_Returns400Problem()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var response = await Client.PostAsync($"/api/workflows/{id}/signals/nope", Json("{}"));

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Query_UnknownName_Returns400Problem()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var response = await Client.GetAsync($"/api/workflows/{id}/queries/nope");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Signal_ClosedWorkflow_Returns400Problem()
    {
        var id = ApiCalls.NewId("closed-loan");
        await Client.StartHelloAsync(id, 1);
        await Client.ResultAsync(id, 30);

        var response = await Client.PostAsync($"/api/workflows/{id}/signals/decide", Json("{}"));

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Theory]
    [InlineData("POST", "signals/decide")]
    [InlineData("GET", "queries/status")]
    public async Task SignalOrQuery_UnknownId_Returns404Problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/workflows/{ApiCalls.NewId("nobody")}/{path}");

        var response = await Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, 404, ApiProblems.WorkflowNotFound);
    }

    [Fact]
    public async Task Signal_MalformedArgument_Returns400Problem()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var response = await Client.PostAsync($"/api/workflows/{id}/signals/decide", Json("{\"approved\":"));

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Query_ArgumentOfTheWrongType_Returns400Problem()
    {
        var id = await StartProbeAsync();

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/queries/note-at", "\"first\"");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Signal_RepeatedRequestId_IsDeliveredOnce()
    {
        var id = await StartProbeAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await Client.PostJsonAsync($"/api/workflows/{id}/signals/note?requestId=r1", "\"a\"")).StatusCode);
        await ProbeNotesAsync(id, notes => notes.Contains("a"));

        var repeated = await Client.PostJsonAsync($"/api/workflows/{id}/signals/note?requestId=r1", "\"a again\"");
        var other = await Client.PostJsonAsync($"/api/workflows/{id}/signals/note?requestId=r2", "\"b\"");

        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal(["a", "b"], await ProbeNotesAsync(id, notes => notes.Contains("b")));
    }

    [Theory]
    [InlineData("requestId=")]
    [InlineData("requestId=a%0Ab")]
    public async Task Signal_EmptyOrControlCharacterRequestId_Returns400Problem(string query)
    {
        var id = await StartProbeAsync();

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/signals/note?{query}", "\"a\"");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Signal_RequestIdOver256Characters_Returns400Problem()
    {
        var id = await StartProbeAsync();

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/signals/note?requestId={new string('r', 257)}", "\"a\"");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    private async Task<string> StartProbeAsync()
    {
        var id = ApiCalls.NewId("probe");
        Assert.Equal(HttpStatusCode.Accepted, (await Client.StartAsync(nameof(ProbeWorkflow), id, null)).StatusCode);
        return id;
    }

    private async Task<List<string>> ProbeNotesAsync(string id, Func<List<string>, bool> condition)
    {
        var notes = await ApiCalls.PollAsync(() => Client.QueryStringAsync(id, "notes"), json => condition(Notes(json)), $"The notes of {id} matching");
        return Notes(notes);

        static List<string> Notes(string? json) => json is ['[', ..] ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
    }

    private static StringContent Json(string json) => ApiCalls.Json(json);
}
