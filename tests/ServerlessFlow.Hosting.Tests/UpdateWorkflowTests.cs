using System.Net;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>Updates over HTTP: LoanApprovalWorkflow's "set-amount" (validated) and <see cref="ProbeWorkflow"/>'s failing and slow updates.</summary>
[Collection(ApiServerGroup.Name)]
public sealed class UpdateWorkflowTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Update_AcceptedAndApplied_Returns200WithTheResult()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/updates/set-amount?updateId=u1", "2500");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal((id, "set-amount", "u1"), (body.GetProperty("id").GetString(), body.GetProperty("update").GetString(), body.GetProperty("updateId").GetString()));
        Assert.Equal(2500m, body.GetProperty("result").GetDecimal());
        Assert.Contains(await HistoryKindsAsync(id), kind => kind == "WorkflowUpdateCompleted");
    }

    [Fact]
    public async Task Update_RepeatedUpdateId_IsAppliedOnceAndAnsweredAlike()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();
        var first = await (await Client.PostJsonAsync($"/api/workflows/{id}/updates/set-amount?updateId=same", "2500")).JsonAsync();

        var again = await Client.PostJsonAsync($"/api/workflows/{id}/updates/set-amount?updateId=same", "2500");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.GetProperty("result").GetDecimal(), (await again.JsonAsync()).GetProperty("result").GetDecimal());
        Assert.Single(await HistoryKindsAsync(id), kind => kind == "WorkflowUpdateAccepted");
    }

    [Fact]
    public async Task Update_RejectedByValidator_Returns400UpdateRejectedAndLeavesNoTrace()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();
        var historyBefore = await HistoryKindsAsync(id);

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/updates/set-amount?updateId=neg", "-5");

        var problem = await Problems.AssertProblemAsync(response, 400, ApiProblems.UpdateRejected);
        Assert.Equal((id, "set-amount", "neg"), (problem.GetProperty("workflowId").GetString(), problem.GetProperty("update").GetString(), problem.GetProperty("updateId").GetString()));
        Assert.Contains("must be positive", problem.GetProperty("failure").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("no trace", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(historyBefore, await HistoryKindsAsync(id));
        Assert.Equal("awaiting-decision", await Client.QueryStringAsync(id, "status"));
    }

    [Fact]
    public async Task Update_HandlerFails_Returns422WithTheFailureAndTheSameAgain()
    {
        var id = await StartProbeAsync();

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/updates/fail?updateId=f1", "\"boom\"");
        var again = await Client.PostJsonAsync($"/api/workflows/{id}/updates/fail?updateId=f1", "\"boom\"");

        var problem = await Problems.AssertProblemAsync(response, 422, ApiProblems.UpdateFailed);
        var failure = problem.GetProperty("failure");
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.GetProperty("type").GetString());
        Assert.Equal("boom (after 0 notes)", failure.GetProperty("message").GetString());
        Assert.Equal("f1", problem.GetProperty("updateId").GetString());
        var repeated = await Problems.AssertProblemAsync(again, 422, ApiProblems.UpdateFailed);
        Assert.Equal("boom (after 0 notes)", repeated.GetProperty("failure").GetProperty("message").GetString());
        Assert.Equal("Running", (await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Update_NotFinishedWithinWait_Returns202NamingTheUpdateIdThatLaterGetsTheResult()
    {
        var id = await StartProbeAsync();

        var pending = await Client.PostJsonAsync($"/api/workflows/{id}/updates/pass-gate?wait=0.2", "\"ann\"");

        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        var body = await pending.JsonAsync();
        var updateId = body.GetProperty("updateId").GetString()!;
        Assert.False(string.IsNullOrEmpty(updateId));
        Assert.Contains($"updateId={updateId}", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await Client.PostJsonAsync($"/api/workflows/{id}/signals/open-gate", null)).StatusCode);
        var done = await Client.PostJsonAsync($"/api/workflows/{id}/updates/pass-gate?updateId={updateId}&wait=30", "\"ann\"");

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("ann passed", (await done.JsonAsync()).GetProperty("result").GetString());
        Assert.Single(await HistoryKindsAsync(id), kind => kind == "WorkflowUpdateAccepted");
    }

    [Fact]
    public async Task Update_UnknownName_Returns400Problem()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/updates/nope", "1");

        var problem = await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("set-amount", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ArgumentOfTheWrongType_Returns400Problem()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/updates/set-amount", "\"lots\"");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Update_ClosedWorkflow_Returns400Problem()
    {
        var id = ApiCalls.NewId("closed");
        await Client.StartHelloAsync(id, 1);
        await Client.ResultAsync(id, 30);

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/updates/set-amount", "1");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Update_UnknownId_Returns404Problem()
    {
        var response = await Client.PostJsonAsync($"/api/workflows/{ApiCalls.NewId("nobody")}/updates/set-amount", "1");

        await Problems.AssertProblemAsync(response, 404, ApiProblems.WorkflowNotFound);
    }

    [Theory]
    [InlineData("updateId=")]
    [InlineData("wait=-1")]
    [InlineData("wait=soon")]
    public async Task Update_BadQueryParameter_Returns400Problem(string query)
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/updates/set-amount?{query}", "1");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Update_MalformedArgument_Returns400Problem()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var response = await Client.PostJsonAsync($"/api/workflows/{id}/updates/set-amount", "{\"amount\":");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    private async Task<string> StartProbeAsync()
    {
        var id = ApiCalls.NewId("probe");
        Assert.Equal(HttpStatusCode.Accepted, (await Client.StartAsync(nameof(ProbeWorkflow), id, null)).StatusCode);
        return id;
    }

    private async Task<List<string>> HistoryKindsAsync(string id)
    {
        var history = await (await Client.GetAsync($"/api/workflows/{id}/history")).JsonAsync();
        return history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToList();
    }
}
