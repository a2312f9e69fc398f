using System.Net;
using System.Text.Json;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

[Collection(ApiServerGroup.Name)]
public sealed class QueryEndpointTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Result_CompletedWorkflow_Returns200WithTheResult()
    {
        var id = ApiCalls.NewId("result");
        await Client.StartHelloAsync(id, count: 3);

        var response = await Client.ResultAsync(id, 30);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Completed", body.GetProperty("status").GetString());
        Assert.Equal([0, 1, 2], body.GetProperty("result").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(id, body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Result_StillRunningAfterTheWait_Returns202()
    {
        var id = ApiCalls.NewId("running");
        await Client.StartHelloAsync(id, count: 1, taskQueue: ApiServer.IdleTaskQueue);

        var response = await Client.ResultAsync(id, 0.2);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Running", (await response.JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Result_FailedWorkflow_Returns200WithStatusAndFailure()
    {
        // HelloSequence throws on a missing input, which fails the workflow.
        var id = ApiCalls.NewId("failed");
        await Client.StartAsync("HelloSequence", id, body: null);

        var response = await Client.ResultAsync(id, 30);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Failed", body.GetProperty("status").GetString());
        Assert.Contains("ArgumentNullException", body.GetProperty("failure").GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("soon")]
    [InlineData("NaN")]
    public async Task Result_BadWait_Returns400Problem(string wait)
    {
        var id = ApiCalls.NewId("wait");
        await Client.StartHelloAsync(id, 1, taskQueue: ApiServer.IdleTaskQueue);

        var response = await Client.GetAsync($"/api/workflows/{id}/result?wait={wait}");

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Describe_RunningWorkflow_ReturnsTypeStatusQueueAndInput()
    {
        var id = ApiCalls.NewId("describe");
        await Client.StartHelloAsync(id, count: 2, delayMs: 7, taskQueue: ApiServer.IdleTaskQueue);

        var response = await Client.GetAsync($"/api/workflows/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("HelloSequence", body.GetProperty("type").GetString());
        Assert.Equal("Running", body.GetProperty("status").GetString());
        Assert.Equal(ApiServer.IdleTaskQueue, body.GetProperty("taskQueue").GetString());
        Assert.Equal(7, body.GetProperty("input").GetProperty("delayMs").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/result")]
    [InlineData("/history")]
    public async Task Endpoints_UnknownId_Return404Problem(string suffix)
    {
        var id = ApiCalls.NewId("missing");

        var response = await Client.GetAsync($"/api/workflows/{id}{suffix}");

        var problem = await Problems.AssertProblemAsync(response, 404, ApiProblems.WorkflowNotFound);
        Assert.Equal(id, problem.GetProperty("workflowId").GetString());
    }

    [Fact]
    public async Task History_CompletedWorkflow_ListsEveryEventInOrder()
    {
        var id = ApiCalls.NewId("history");
        await Client.StartHelloAsync(id, count: 2);
        await Client.ResultAsync(id, 30);

        var response = await Client.GetAsync($"/api/workflows/{id}/history");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await response.JsonAsync()).GetProperty("events").EnumerateArray().ToList();
        var kinds = events.Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal("WorkflowStarted", kinds[0]);
        Assert.Equal("WorkflowCompleted", kinds[^1]);
        Assert.Equal(2, kinds.Count(k => k == "ActivityCompleted"));
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => (int)e.GetProperty("eventId").GetInt64()));
    }

    [Fact]
    public async Task List_ByTypeAndStatus_ReturnsOnlyMatches()
    {
        var id = ApiCalls.NewId("listed");
        await Client.StartHelloAsync(id, 1, taskQueue: ApiServer.IdleTaskQueue);

        var running = await ListAllAsync("?type=HelloSequence&status=running&pageSize=1000");
        var completed = await ListAllAsync("?type=HelloSequence&status=Completed&pageSize=1000");

        Assert.Contains(running, w => w.GetProperty("id").GetString() == id);
        Assert.All(running, w => Assert.Equal("Running", w.GetProperty("status").GetString()));
        Assert.DoesNotContain(completed, w => w.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task List_PageSizeOne_PagesWithContinuationTokens()
    {
        await Client.StartHelloAsync(ApiCalls.NewId("page"), 1, taskQueue: ApiServer.IdleTaskQueue);
        await Client.StartHelloAsync(ApiCalls.NewId("page"), 1, taskQueue: ApiServer.IdleTaskQueue);

        var first = await (await Client.GetAsync("/api/workflows?pageSize=1")).JsonAsync();

        Assert.Single(first.GetProperty("items").EnumerateArray());
        var token = first.GetProperty("continuationToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        var second = await (await Client.GetAsync($"/api/workflows?pageSize=1&continuationToken={Uri.EscapeDataString(token!)}")).JsonAsync();
        Assert.NotEqual(
            first.GetProperty("items")[0].GetProperty("id").GetString(),
            second.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("?status=Sleeping")]
    [InlineData("?status=1")]
    [InlineData("?pageSize=0")]
    [InlineData("?pageSize=1001")]
    [InlineData("?pageSize=ten")]
    public async Task List_BadParameter_Returns400Problem(string query)
    {
        var response = await Client.GetAsync("/api/workflows" + query);

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    private async Task<List<JsonElement>> ListAllAsync(string query)
    {
        var items = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await (await Client.GetAsync("/api/workflows" + query + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)))).JsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray());
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null);
        return items;
    }
}
