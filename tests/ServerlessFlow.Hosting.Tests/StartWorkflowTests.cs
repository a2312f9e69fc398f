using System.Net;
using System.Text;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

[Collection(ApiServerGroup.Name)]
public sealed class StartWorkflowTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Start_KnownType_Returns202WithLocationAndIds()
    {
        var id = ApiCalls.NewId("start");

        var response = await Client.StartHelloAsync(id, count: 1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("runId").GetString()));
        Assert.Equal($"/api/workflows/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Start_WithoutId_GeneratesOneAndLocationPointsToIt()
    {
        var response = await Client.StartHelloAsync(id: null, count: 1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetString()!;
        Assert.False(string.IsNullOrEmpty(id));
        var described = await Client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, described.StatusCode);
        Assert.Equal(id, (await described.JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Start_SameIdWhileOpen_Returns409Problem()
    {
        var id = ApiCalls.NewId("conflict");
        Assert.Equal(HttpStatusCode.Accepted, (await Client.StartHelloAsync(id, 1, taskQueue: ApiServer.IdleTaskQueue)).StatusCode);

        var second = await Client.StartHelloAsync(id, 1, taskQueue: ApiServer.IdleTaskQueue);

        var problem = await Problems.AssertProblemAsync(second, 409, ApiProblems.WorkflowAlreadyStarted);
        Assert.Equal(id, problem.GetProperty("workflowId").GetString());
    }

    [Fact]
    public async Task Start_WithWaitAndAShortWorkflow_Returns200WithTheResult()
    {
        var id = ApiCalls.NewId("sync");

        var response = await Client.PostAsync(
            $"/api/workflows/HelloSequence?id={id}&wait=60", new StringContent("""{"count":3,"delayMs":0}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Completed", body.GetProperty("status").GetString());
        Assert.Equal("[0,1,2]", body.GetProperty("result").GetRawText());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("runId").GetString()));
        Assert.Equal($"/api/workflows/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Start_WithWaitAndARunThatStaysOpen_Returns202WithIds()
    {
        var id = ApiCalls.NewId("sync-open");

        // No worker serves the idle task queue: the run cannot close within the wait.
        var response = await Client.PostAsync(
            $"/api/workflows/HelloSequence?id={id}&taskQueue={ApiServer.IdleTaskQueue}&wait=0.2", new StringContent("""{"count":1,"delayMs":0}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.False(body.TryGetProperty("status", out _));
    }

    [Fact]
    public async Task Start_NegativeWait_Returns400AndStartsNothing()
    {
        var id = ApiCalls.NewId("sync-bad");

        var response = await Client.PostAsync($"/api/workflows/HelloSequence?id={id}&wait=-1", new StringContent("""{"count":1,"delayMs":0}""", Encoding.UTF8, "application/json"));

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workflows/{id}")).StatusCode);
    }

    [Fact]
    public async Task Start_WithStartDelay_RunIsDescribedWithItsDueTimeAndNoCodeRunYet()
    {
        var id = ApiCalls.NewId("delayed");

        var response = await Client.PostAsync($"/api/workflows/HelloSequence?id={id}&startDelay=3600", new StringContent("""{"count":1,"delayMs":0}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var described = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();
        Assert.Equal("Running", described.GetProperty("status").GetString());
        Assert.Equal(1, described.GetProperty("historyLength").GetInt64());
        Assert.Equal(described.GetProperty("createdAt").GetDateTimeOffset() + TimeSpan.FromHours(1), described.GetProperty("firstTaskDueAt").GetDateTimeOffset());
        var history = await (await Client.GetAsync($"/api/workflows/{id}/history")).JsonAsync();
        Assert.Equal("01:00:00", history.GetProperty("events")[0].GetProperty("startDelay").GetString());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("31536001")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e309")]
    [InlineData("PT5M")]
    [InlineData("1,5")]
    public async Task Start_BadStartDelay_Returns400AndStartsNothing(string startDelay)
    {
        var id = ApiCalls.NewId("delay-bad");

        var response = await Client.PostAsync(
            $"/api/workflows/HelloSequence?id={id}&startDelay={Uri.EscapeDataString(startDelay)}", new StringContent("""{"count":1,"delayMs":0}""", Encoding.UTF8, "application/json"));

        var problem = await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        Assert.Contains("startDelay", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workflows/{id}")).StatusCode);
    }

    [Fact]
    public async Task Start_UnknownType_Returns404Problem()
    {
        var response = await Client.StartAsync("NoSuchWorkflow", ApiCalls.NewId("unknown"), "{}");

        var problem = await Problems.AssertProblemAsync(response, 404, ApiProblems.UnknownWorkflowType);
        Assert.Equal("NoSuchWorkflow", problem.GetProperty("workflowType").GetString());
        Assert.Contains("HelloSequence", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"count\": 5,")]
    [InlineData("{count: 5}")]
    [InlineData("not json")]
    [InlineData("{\"count\": 1} trailing")]
    public async Task Start_MalformedJson_Returns400Problem(string body)
    {
        var response = await Client.StartAsync("HelloSequence", ApiCalls.NewId("malformed"), body);

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Start_BodyOverTwoMegabytes_Returns413Problem()
    {
        var huge = "\"" + new string('x', RequestPayload.MaxBytes) + "\"";

        var response = await Client.StartAsync("HelloSequence", ApiCalls.NewId("huge"), huge);

        await Problems.AssertProblemAsync(response, 413, ApiProblems.PayloadTooLarge);
    }

    [Fact]
    public async Task Start_ChunkedBodyOverTwoMegabytes_Returns413Problem()
    {
        // No Content-Length: the limit is enforced while reading, not only from the header.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("\"" + new string('x', RequestPayload.MaxBytes) + "\"")));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/HelloSequence?id={ApiCalls.NewId("chunked")}") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, 413, ApiProblems.PayloadTooLarge);
    }

    [Fact]
    public async Task Start_EmptyBody_StartsWithoutInput()
    {
        var id = ApiCalls.NewId("empty");

        var response = await Client.StartAsync("HelloSequence", id, body: null, taskQueue: ApiServer.IdleTaskQueue);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var described = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, described.GetProperty("input").ValueKind);
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("has space")]
    [InlineData("-leading")]
    [InlineData("this-task-queue-name-is-far-too-long-for-storage")]
    public async Task Start_InvalidTaskQueue_Returns400Problem(string taskQueue)
    {
        var response = await Client.StartHelloAsync(ApiCalls.NewId("tq"), 1, taskQueue: taskQueue);

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Start_IdGivenTwice_Returns400Problem()
    {
        var response = await Client.PostAsync("/api/workflows/HelloSequence?id=a&id=b", new StringContent("{}"));

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }
}
