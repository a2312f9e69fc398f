using System.Net;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

[Collection(ApiServerGroup.Name)]
public sealed class TerminateWorkflowTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Terminate_RunningWorkflow_Returns200AndTheResultShowsTheReason()
    {
        var id = ApiCalls.NewId("terminate");
        await Client.StartHelloAsync(id, 1, taskQueue: ApiServer.IdleTaskQueue);

        var response = await Client.PostAsync($"/api/workflows/{id}/terminate?reason={Uri.EscapeDataString("no longer needed")}", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Terminated", (await response.JsonAsync()).GetProperty("status").GetString());
        var result = await (await Client.ResultAsync(id, 0)).JsonAsync();
        Assert.Equal("Terminated", result.GetProperty("status").GetString());
        Assert.Equal("no longer needed", result.GetProperty("failure").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Terminate_ClosedWorkflow_Returns409Problem()
    {
        var id = ApiCalls.NewId("closed");
        await Client.StartHelloAsync(id, 1);
        await Client.ResultAsync(id, 30);

        var response = await Client.PostAsync($"/api/workflows/{id}/terminate", null);

        var problem = await Problems.AssertProblemAsync(response, 409, ApiProblems.WorkflowClosed);
        Assert.Equal("Completed", problem.GetProperty("workflowStatus").GetString());
    }

    [Fact]
    public async Task Terminate_UnknownId_Returns404Problem()
    {
        var response = await Client.PostAsync($"/api/workflows/{ApiCalls.NewId("nobody")}/terminate", null);

        await Problems.AssertProblemAsync(response, 404, ApiProblems.WorkflowNotFound);
    }
}
