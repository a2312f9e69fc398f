using System.Net;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

[Collection(ApiServerGroup.Name)]
public sealed class CancelWorkflowTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Cancel_WaitingWorkflow_Returns202AndTheRunClosesAsCanceled()
    {
        var id = await Client.StartLoanAwaitingDecisionAsync();

        var response = await Client.PostAsync($"/api/workflows/{id}/cancel?reason={Uri.EscapeDataString("applicant withdrew")}", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal((id, "applicant withdrew"), (body.GetProperty("id").GetString(), body.GetProperty("reason").GetString()));
        var result = await (await Client.ResultAsync(id, 30)).JsonAsync();
        Assert.Equal("Canceled", result.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_Repeated_Returns202BothTimes()
    {
        var id = ApiCalls.NewId("cancel-twice");
        await Client.StartHelloAsync(id, 1, taskQueue: ApiServer.IdleTaskQueue);

        var first = await Client.PostAsync($"/api/workflows/{id}/cancel", null);
        var second = await Client.PostAsync($"/api/workflows/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
    }

    [Fact]
    public async Task Cancel_ClosedWorkflow_Returns409Problem()
    {
        var id = ApiCalls.NewId("closed");
        await Client.StartHelloAsync(id, 1);
        await Client.ResultAsync(id, 30);

        var response = await Client.PostAsync($"/api/workflows/{id}/cancel", null);

        var problem = await Problems.AssertProblemAsync(response, 409, ApiProblems.WorkflowClosed);
        Assert.Equal("Completed", problem.GetProperty("workflowStatus").GetString());
        Assert.Contains("nothing to cancel", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_UnknownId_Returns404Problem()
    {
        var response = await Client.PostAsync($"/api/workflows/{ApiCalls.NewId("nobody")}/cancel", null);

        await Problems.AssertProblemAsync(response, 404, ApiProblems.WorkflowNotFound);
    }
}
