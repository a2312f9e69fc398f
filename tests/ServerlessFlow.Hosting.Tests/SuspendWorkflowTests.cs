using System.Net;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

[Collection(ApiServerGroup.Name)]
public sealed class SuspendWorkflowTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task SuspendThenResume_RunningWorkflow_DescribeShowsTheSuspensionUntilResumed()
    {
        var id = ApiCalls.NewId("suspend");
        await Client.StartHelloAsync(id, 1, taskQueue: ApiServer.IdleTaskQueue);

        var suspended = await Client.PostAsync($"/api/workflows/{id}/suspend?reason={Uri.EscapeDataString("incident 7")}", null);
        var held = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();
        var resumed = await Client.PostAsync($"/api/workflows/{id}/resume", null);
        var released = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        Assert.Equal("incident 7", (await suspended.JsonAsync()).GetProperty("suspension").GetProperty("reason").GetString());
        Assert.Equal("Running", held.GetProperty("status").GetString());
        Assert.Equal("incident 7", held.GetProperty("suspension").GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, released.GetProperty("suspension").ValueKind);
    }

    [Fact]
    public async Task Suspend_ClosedWorkflow_Returns409Problem()
    {
        var id = ApiCalls.NewId("suspend-closed");
        await Client.StartHelloAsync(id, 1);
        await Client.ResultAsync(id, 30);

        var response = await Client.PostAsync($"/api/workflows/{id}/suspend", null);

        var problem = await Problems.AssertProblemAsync(response, 409, ApiProblems.WorkflowClosed);
        Assert.Equal("Completed", problem.GetProperty("workflowStatus").GetString());
    }

    [Fact]
    public async Task Suspend_ReasonTooLong_Returns400AndSuspendsNothing()
    {
        var id = ApiCalls.NewId("suspend-long");
        await Client.StartHelloAsync(id, 1, taskQueue: ApiServer.IdleTaskQueue);

        var response = await Client.PostAsync($"/api/workflows/{id}/suspend?reason={new string('r', WorkflowSuspension.MaxReasonLength + 1)}", null);
        var described = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, described.GetProperty("suspension").ValueKind);
    }

    [Fact]
    public async Task Resume_UnknownId_Returns404Problem()
    {
        var response = await Client.PostAsync($"/api/workflows/{ApiCalls.NewId("nobody")}/resume", null);

        await Problems.AssertProblemAsync(response, 404, ApiProblems.WorkflowNotFound);
    }
}
