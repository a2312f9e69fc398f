using System.Net;
using System.Text.Json;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// Dead letters over HTTP on the Azure backend (Azurite), with real poison messages: bodies put on the workflow
/// queue that no worker can parse, which the polling worker dead-letters.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class DeadLetterEndpointTests(AzuriteFixture azurite)
{
    private const string WorkflowQueue = "wf-default";

    [Fact]
    public async Task DeadLetters_PoisonMessage_IsListedReplayedThroughTheWorkerAndDeleted()
    {
        await using var server = await AzureApiServer.StartAsync(azurite);
        var body = "not a task message " + Guid.NewGuid();

        await server.PutRawMessageAsync(WorkflowQueue, body);

        var letter = await SingleWithBodyAsync(server, body, except: null);
        var messageId = letter.GetProperty("messageId").GetString()!;
        var id = letter.GetProperty("id").GetString()!;
        Assert.Equal($"{WorkflowQueue}.{messageId}", id);
        Assert.Equal(WorkflowQueue, letter.GetProperty("queue").GetString());
        Assert.Equal(JsonValueKind.Null, letter.GetProperty("workflowId").ValueKind);
        Assert.Contains("not a ServerlessFlow task message", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(letter.GetProperty("dequeueCount").GetInt64() >= 1);

        var replay = await server.Client.PostAsync($"/api/deadletters/{Uri.EscapeDataString(id)}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal((id, WorkflowQueue, messageId), Triple(await replay.JsonAsync()));

        // Still poison: the worker takes the replayed copy and dead-letters it again, as a new message.
        var again = await SingleWithBodyAsync(server, body, except: id);
        var againId = again.GetProperty("id").GetString()!;
        Assert.NotEqual(id, againId);
        await Problems.AssertProblemAsync(await server.Client.PostAsync($"/api/deadletters/{Uri.EscapeDataString(id)}/replay", null), 404, ApiProblems.DeadLetterNotFound);

        var delete = await server.Client.DeleteAsync($"/api/deadletters/{Uri.EscapeDataString(againId)}");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.DoesNotContain(await ListAllAsync(server, WorkflowQueue), l => l.GetProperty("body").GetString() == body);
        await Problems.AssertProblemAsync(await server.Client.DeleteAsync($"/api/deadletters/{Uri.EscapeDataString(againId)}"), 404, ApiProblems.DeadLetterNotFound);
    }

    [Fact]
    public async Task ListDeadLetters_PagedAndPerQueue_ReturnsEachOnce()
    {
        await using var server = await AzureApiServer.StartAsync(azurite);
        for (var i = 0; i < 3; i++)
        {
            await server.PutRawMessageAsync(WorkflowQueue, $"poison {i}");
        }

        await server.PutRawMessageAsync("act-default", "poison activity");
        await ApiCalls.PollAsync(() => ListAllAsync(server, queue: null), letters => letters.Count == 4, "Four dead letters");

        var paged = await ListAllAsync(server, WorkflowQueue, pageSize: 2);

        Assert.Equal(["poison 0", "poison 1", "poison 2"], paged.Select(l => l.GetProperty("body").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(3, paged.Select(l => l.GetProperty("id").GetString()).Distinct().Count());
        var activity = Assert.Single(await ListAllAsync(server, "act-default"));
        Assert.Equal("poison activity", activity.GetProperty("body").GetString());
    }

    [Fact]
    public async Task ListDeadLetters_NothingDeadLettered_ReturnsAnEmptyLastPage()
    {
        await using var server = await AzureApiServer.StartAsync(azurite);

        var response = await server.Client.GetAsync("/api/deadletters");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.JsonAsync();
        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("continuationToken").ValueKind);
    }

    [Theory]
    [InlineData("POST", "wf-default.no-such-message/replay")]
    [InlineData("DELETE", "wf-default.no-such-message")]
    public async Task DeadLetter_UnknownId_Returns404Problem(string method, string path)
    {
        await using var server = await AzureApiServer.StartAsync(azurite);
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/deadletters/" + path);

        var response = await server.Client.SendAsync(request);

        var problem = await Problems.AssertProblemAsync(response, 404, ApiProblems.DeadLetterNotFound);
        Assert.Equal("wf-default.no-such-message", problem.GetProperty("deadLetterId").GetString());
    }

    private static (string?, string?, string?) Triple(JsonElement replay) =>
        (replay.GetProperty("id").GetString(), replay.GetProperty("queue").GetString(), replay.GetProperty("messageId").GetString());

    /// <summary>Waits for exactly one dead letter with <paramref name="body"/> whose ID is not <paramref name="except"/>.</summary>
    private static async Task<JsonElement> SingleWithBodyAsync(AzureApiServer server, string body, string? except)
    {
        var letters = await ApiCalls.PollAsync(
            () => ListAllAsync(server, WorkflowQueue),
            all => all.Count(l => l.GetProperty("body").GetString() == body && l.GetProperty("id").GetString() != except) == 1
                   && (except is null || all.All(l => l.GetProperty("id").GetString() != except)),
            $"The worker dead-lettering '{body}'");
        return letters.Single(l => l.GetProperty("body").GetString() == body);
    }

    /// <summary>Every dead letter (of <paramref name="queue"/>, or all), following continuation tokens.</summary>
    private static async Task<List<JsonElement>> ListAllAsync(AzureApiServer server, string? queue, int pageSize = 1000)
    {
        var letters = new List<JsonElement>();
        string? token = null;
        do
        {
            var query = new List<string> { $"pageSize={pageSize}" };
            if (queue is not null)
            {
                query.Add("queue=" + Uri.EscapeDataString(queue));
            }

            if (token is not null)
            {
                query.Add("continuationToken=" + Uri.EscapeDataString(token));
            }

            var response = await server.Client.GetAsync("/api/deadletters?" + string.Join("&", query));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var page = await response.JsonAsync();
            letters.AddRange(page.GetProperty("items").EnumerateArray());
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null);

        return letters;
    }
}

/// <summary>Dead-letter endpoints on the in-memory backend, which keeps no dead letters the API can read.</summary>
[Collection(ApiServerGroup.Name)]
public sealed class InMemoryDeadLetterEndpointTests(ApiServer server)
{
    [Theory]
    [InlineData("GET", "/api/deadletters")]
    [InlineData("POST", "/api/deadletters/wf-default.m1/replay")]
    [InlineData("DELETE", "/api/deadletters/wf-default.m1")]
    public async Task DeadLetters_InMemoryBackend_Return501Problem(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        var response = await server.Client.SendAsync(request);

        var problem = await Problems.AssertProblemAsync(response, 501, ApiProblems.DeadLettersUnavailable);
        Assert.Contains("Azure Storage backend", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/deadletters/no-separator/replay")]
    [InlineData("POST", "/api/deadletters/wf-default./replay")]
    [InlineData("DELETE", "/api/deadletters/.m1")]
    [InlineData("GET", "/api/deadletters?pageSize=0")]
    [InlineData("GET", "/api/deadletters?pageSize=1001")]
    public async Task DeadLetters_MalformedIdOrPageSize_Returns400Problem(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        var response = await server.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
    }
}
