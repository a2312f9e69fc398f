using System.Net;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

[Collection(ApiServerGroup.Name)]
public sealed class PurgeWorkflowTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task PurgeWorkflow_Closed_Returns204ThenDescribe404()
    {
        var id = ApiCalls.NewId("purge");
        await Client.StartHelloAsync(id, 1);
        Assert.Equal(HttpStatusCode.OK, (await Client.ResultAsync(id, 30)).StatusCode);

        var response = await Client.DeleteAsync($"/api/workflows/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await Problems.AssertProblemAsync(await Client.GetAsync($"/api/workflows/{id}"), 404, ApiProblems.WorkflowNotFound);
        var again = await Problems.AssertProblemAsync(await Client.DeleteAsync($"/api/workflows/{id}"), 404, ApiProblems.WorkflowNotFound);
        Assert.Equal(id, again.GetProperty("workflowId").GetString());
    }

    [Fact]
    public async Task PurgeWorkflow_Open_Returns409Problem()
    {
        var id = ApiCalls.NewId("purge-open");
        var started = await (await Client.StartHelloAsync(id, 1, taskQueue: ApiServer.IdleTaskQueue)).JsonAsync();

        var response = await Client.DeleteAsync($"/api/workflows/{id}");

        var problem = await Problems.AssertProblemAsync(response, 409, ApiProblems.WorkflowOpen);
        Assert.Equal(id, problem.GetProperty("workflowId").GetString());
        Assert.Equal(started.GetProperty("runId").GetString(), problem.GetProperty("runId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/workflows/{id}")).StatusCode);
    }

    [Fact]
    public async Task PurgeWorkflows_ByFilter_PurgesAtMostMaxAndReturnsToken()
    {
        var prefix = ApiCalls.NewId("purge-many") + "-";
        string[] closed = [prefix + "a", prefix + "b", prefix + "c"];
        foreach (var id in closed)
        {
            await Client.StartHelloAsync(id, 1);
        }

        var open = prefix + "open";
        await Client.StartHelloAsync(open, 1, taskQueue: ApiServer.IdleTaskQueue);
        foreach (var id in closed)
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.ResultAsync(id, 30)).StatusCode);
        }

        var filter = $"idPrefix={Uri.EscapeDataString(prefix)}&type=HelloSequence";
        await ApiCalls.PollAsync(
            async () => (await (await Client.GetAsync($"/api/workflows?{filter}&status=Completed")).JsonAsync()).GetProperty("items").GetArrayLength(),
            count => count == closed.Length,
            "The closed workflows reaching the index");

        var first = await Client.DeleteAsync($"/api/workflows?{filter}&max=2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.JsonAsync();
        Assert.InRange(body.GetProperty("purged").GetInt32(), 1, 2);
        var purged = body.GetProperty("purged").GetInt32();
        var token = body.GetProperty("continuationToken").GetString();
        Assert.False(string.IsNullOrEmpty(token), "Three closed workflows match and at most two were purged: a token must say where to go on.");
        while (token is not null)
        {
            var next = await (await Client.DeleteAsync($"/api/workflows?{filter}&max=2&continuationToken={Uri.EscapeDataString(token)}")).JsonAsync();
            purged += next.GetProperty("purged").GetInt32();
            token = next.GetProperty("continuationToken").GetString();
        }

        Assert.Equal(closed.Length, purged);
        foreach (var id in closed)
        {
            await Problems.AssertProblemAsync(await Client.GetAsync($"/api/workflows/{Uri.EscapeDataString(id)}"), 404, ApiProblems.WorkflowNotFound);
        }

        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/workflows/{Uri.EscapeDataString(open)}")).StatusCode);
    }

    [Theory]
    [InlineData("status=Running")]
    [InlineData("status=running&type=HelloSequence")]
    public async Task PurgeWorkflows_StatusRunning_Returns400Problem(string query)
    {
        var response = await Client.DeleteAsync("/api/workflows?" + query);

        var problem = await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("closed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max=0")]
    [InlineData("max=1001")]
    [InlineData("max=ten")]
    [InlineData("status=Sleeping")]
    [InlineData("closedBefore=last-week")]
    [InlineData("sa.Amount.near=5")]
    public async Task PurgeWorkflows_BadParameter_Returns400Problem(string query)
    {
        var response = await Client.DeleteAsync("/api/workflows?" + query);

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }
}
