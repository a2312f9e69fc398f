using System.Net;
using System.Text;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>Signals and queries over HTTP, with the LoanApprovalWorkflow sample (signal "decide", query "status").</summary>
[Collection(ApiServerGroup.Name)]
public sealed class SignalAndQueryTests(ApiServer server)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private HttpClient Client => server.Client;

    [Fact]
    public async Task Signal_WaitingWorkflow_Returns202AndTheWorkflowActsOnIt()
    {
        var id = await StartLoanAwaitingDecisionAsync();

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
        var id = await StartLoanAwaitingDecisionAsync();

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
        var id = await StartLoanAwaitingDecisionAsync();

        var response = await Client.PostAsync($"/api/workflows/{id}/signals/nope", Json("{}"));

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Query_UnknownName_Returns400Problem()
    {
        var id = await StartLoanAwaitingDecisionAsync();

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
        var id = await StartLoanAwaitingDecisionAsync();

        var response = await Client.PostAsync($"/api/workflows/{id}/signals/decide", Json("{\"approved\":"));

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    private async Task<string> StartLoanAwaitingDecisionAsync()
    {
        var id = ApiCalls.NewId("loan");
        var start = await Client.StartAsync("LoanApprovalWorkflow", id, """{"applicantId":"ann","amount":1000}""");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var until = DateTimeOffset.UtcNow + Deadline;
        while (true)
        {
            var status = await Client.GetAsync($"/api/workflows/{id}/queries/status");
            var body = await status.JsonAsync();
            if (status.StatusCode == HttpStatusCode.OK && body.GetProperty("result").GetString() == "awaiting-decision")
            {
                return id;
            }

            Assert.True(DateTimeOffset.UtcNow < until, $"Workflow {id} did not reach awaiting-decision: {body}");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
