using System.Globalization;
using System.Net;
using System.Text.Json;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>Memo and search attributes at start, and the list filters: the HTTP side of visibility.</summary>
[Collection(ApiServerGroup.Name)]
public sealed class VisibilityEndpointTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Start_EnvelopeWithInputOnly_InputIsTheWorkflowInput()
    {
        var id = ApiCalls.NewId("envelope");

        var start = await Client.PostJsonAsync($"/api/workflows/HelloSequence?id={id}&envelope=true", """{"input":{"count":2,"delayMs":0}}""");

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var result = await (await Client.ResultAsync(id, 30)).JsonAsync();
        Assert.Equal([0, 1], result.GetProperty("result").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Theory]
    [InlineData("envelope=true", "[1]")]
    [InlineData("envelope=true", """{"input":1,"signal":2}""")]
    [InlineData("envelope=true", """{"Input":1}""")]
    [InlineData("envelope=true", """{"input":1,"input":2}""")]
    [InlineData("envelope=true", """{"memo":[1]}""")]
    [InlineData("envelope=true", """{"searchAttributes":"CustomerId=ann"}""")]
    [InlineData("envelope=true", """{"memo":{"a":1,"a":2}}""")]
    [InlineData("envelope=maybe", """{"input":1}""")]
    public async Task Start_BadEnvelope_Returns400ProblemAndStartsNothing(string query, string body)
    {
        var id = ApiCalls.NewId("bad-envelope");

        var response = await Client.PostJsonAsync($"/api/workflows/HelloSequence?id={id}&{query}", body);

        await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        await Problems.AssertProblemAsync(await Client.GetAsync($"/api/workflows/{id}"), 404, ApiProblems.WorkflowNotFound);
    }

    [Fact]
    public async Task Start_EnvelopeWithMemoAndSearchAttributes_DescribeReturnsThem()
    {
        var id = ApiCalls.NewId("memo");

        var start = await StartAsync(id, customer: "ann", amount: 42, taskQueue: ApiServer.IdleTaskQueue, memo: """{"note":"retry of #41","tries":[1,2]}""");

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var described = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();
        Assert.Equal("retry of #41", described.GetProperty("memo").GetProperty("note").GetString());
        Assert.Equal(2, described.GetProperty("memo").GetProperty("tries").GetArrayLength());
        Assert.Equal("ann", described.GetProperty("searchAttributes").GetProperty(ApiServer.CustomerId).GetString());
        Assert.Equal(42, described.GetProperty("searchAttributes").GetProperty(ApiServer.Amount).GetInt64());
    }

    [Fact]
    public async Task SignalWithStart_MemoAndSearchAttributes_GoToTheStartedRun()
    {
        var id = ApiCalls.NewId("sws-memo");

        var response = await Client.PostJsonAsync(
            $"/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={id}&taskQueue={ApiServer.IdleTaskQueue}",
            """{"input":{"applicantId":"ann","amount":1000},"signal":{"approved":true,"reviewer":"bob"},"memo":{"source":"web"},"searchAttributes":{"CustomerId":"ann"}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var described = await (await Client.GetAsync($"/api/workflows/{id}")).JsonAsync();
        Assert.Equal("web", described.GetProperty("memo").GetProperty("source").GetString());
        Assert.Equal("ann", described.GetProperty("searchAttributes").GetProperty(ApiServer.CustomerId).GetString());
    }

    [Fact]
    public async Task List_EachFilterParameter_ReachesTheQuery()
    {
        var prefix = ApiCalls.NewId("filters") + "-";
        var customer = "c-" + Guid.NewGuid().ToString("N");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        string open = prefix + "open", big = prefix + "big", closed = prefix + "closed";
        await StartAsync(open, customer, amount: 50, ApiServer.IdleTaskQueue, dueAt: "2026-01-01T00:00:00Z");
        await StartAsync(big, "other-" + customer, amount: 150, ApiServer.IdleTaskQueue);
        await StartAsync(closed, customer, amount: 500, taskQueue: null);
        Assert.Equal(HttpStatusCode.OK, (await Client.ResultAsync(closed, 30)).StatusCode);
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        // Filters that match first, so that the index has caught up before the ones that must match nothing.
        await AssertListsAsync(prefix, "", open, big, closed);
        await AssertListsAsync(prefix, "type=HelloSequence", open, big, closed);
        await AssertListsAsync(prefix, "status=Running", open, big);
        await AssertListsAsync(prefix, "status=completed", closed);
        var byCustomer = await AssertListsAsync(prefix, $"sa.{ApiServer.CustomerId}={customer}", open, closed);
        await AssertListsAsync(prefix, $"sa.{ApiServer.Amount}.ge=150", big, closed);
        await AssertListsAsync(prefix, $"sa.{ApiServer.Amount}.gt=150", closed);
        await AssertListsAsync(prefix, $"sa.{ApiServer.Amount}.le=150", open, big);
        await AssertListsAsync(prefix, $"sa.{ApiServer.Amount}.lt=150", open);
        await AssertListsAsync(prefix, $"sa.{ApiServer.Amount}.ge=100&sa.{ApiServer.Amount}.lt=200", big);
        await AssertListsAsync(prefix, $"sa.{ApiServer.DueAt}=2026-01-01T00:00:00Z", open);
        await AssertListsAsync(prefix, $"startedAfter={Iso(before)}", open, big, closed);
        await AssertListsAsync(prefix, $"startedBefore={Iso(after)}", open, big, closed);
        await AssertListsAsync(prefix, $"closedAfter={Iso(before)}", closed);
        await AssertListsAsync(prefix, $"closedBefore={Iso(after)}", closed);
        await AssertListsAsync(prefix, "type=LoanApprovalWorkflow");
        await AssertListsAsync(prefix, $"startedAfter={Iso(after)}");
        await AssertListsAsync(prefix, $"startedBefore={Iso(before)}");
        await AssertListsAsync(prefix, $"closedBefore={Iso(before)}");
        await AssertListsAsync(prefix, $"sa.{ApiServer.CustomerId}=nobody-{customer}");
        await AssertListsAsync(prefix + "x", "");
        await AssertListsAsync(prefix, "suspended=true");
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/workflows/{big}/suspend", null)).StatusCode);
        await AssertListsAsync(prefix, "suspended=true", big);
        await AssertListsAsync(prefix, "suspended=false", open, big, closed);

        var openItem = byCustomer.Single(w => w.GetProperty("id").GetString() == open);
        Assert.Equal(customer, openItem.GetProperty("searchAttributes").GetProperty(ApiServer.CustomerId).GetString());
        Assert.Equal(50, openItem.GetProperty("searchAttributes").GetProperty(ApiServer.Amount).GetInt64());
    }

    [Theory]
    [InlineData("startedAfter=yesterday")]
    [InlineData("startedBefore=2026-11-23")]
    [InlineData("closedAfter=2026-11-23T10:00:00")]
    [InlineData("closedBefore=2026-11-23T10:00:00+01:00")] // An unescaped '+' is a space.
    [InlineData("sa.=1")]
    [InlineData("sa.Amount.between=1")]
    [InlineData("sa.Amount.ge.lt=1")]
    [InlineData("sa.CustomerId=")]
    [InlineData("sa.Amount=many")] // Not an Int.
    [InlineData("sa.DueAt.ge=soon")] // Not a Datetime.
    [InlineData("sa.CustomerId.ge=5")] // No ranges on a Keyword.
    [InlineData("sa.NotRegistered=1")]
    [InlineData("suspended=yes")]
    public async Task List_BadDateOrBadAttributeValue_Returns400Problem(string query)
    {
        var response = await Client.GetAsync("/api/workflows?" + query);

        var problem = await Problems.AssertProblemAsync(response, 400, ApiProblems.InvalidRequest);
        var parameter = query[..query.IndexOf('=', StringComparison.Ordinal)];
        var named = parameter.StartsWith("sa.", StringComparison.Ordinal) ? parameter.Split('.')[1] : parameter;
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> StartAsync(string id, string customer, long amount, string? taskQueue, string? dueAt = null, string? memo = null)
    {
        var attributes = $$"""{"{{ApiServer.CustomerId}}":"{{customer}}","{{ApiServer.Amount}}":{{amount}}{{(dueAt is null ? "" : $",\"{ApiServer.DueAt}\":\"{dueAt}\"")}}}""";
        var body = $$"""{"input":{"count":1,"delayMs":0},"searchAttributes":{{attributes}}{{(memo is null ? "" : ",\"memo\":" + memo)}}}""";
        var queue = taskQueue is null ? "" : "&taskQueue=" + taskQueue;
        return Client.PostJsonAsync($"/api/workflows/HelloSequence?id={Uri.EscapeDataString(id)}&envelope=true{queue}", body);
    }

    /// <summary>
    /// Lists the workflows whose ID starts with <paramref name="prefix"/> and that match <paramref name="filter"/> until they are
    /// exactly <paramref name="expected"/> (the index follows commits, normally within milliseconds), and returns them.
    /// </summary>
    private async Task<List<JsonElement>> AssertListsAsync(string prefix, string filter, params string[] expected)
    {
        var url = $"/api/workflows?pageSize=1000&idPrefix={Uri.EscapeDataString(prefix)}" + (filter.Length > 0 ? "&" + filter : "");
        var listed = await ApiCalls.PollAsync(
            async () => new Listed(await ListAsync(url)),
            found => found.Items.Select(Id).Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)),
            $"Listing with '{filter}' giving exactly [{string.Join(", ", expected)}]");
        return listed.Items;
    }

    private async Task<List<JsonElement>> ListAsync(string url)
    {
        var items = new List<JsonElement>();
        string? token = null;
        do
        {
            var response = await Client.GetAsync(url + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var page = await response.JsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray());
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null);
        return items;
    }

    private static string Id(JsonElement item) => item.GetProperty("id").GetString()!;

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>A listing that shows its IDs when a poll times out.</summary>
    private sealed record Listed(List<JsonElement> Items)
    {
        public override string ToString() => "[" + string.Join(", ", Items.Select(Id)) + "]";
    }
}
