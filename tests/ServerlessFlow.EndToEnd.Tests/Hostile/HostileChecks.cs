using System.Text.Json;
using ServerlessFlow.TestSupport;
using Xunit.Abstractions;

namespace ServerlessFlow.EndToEnd.Tests.Hostile;

/// <summary>
/// The corpus checks that need more than one request: accepted IDs of every trick kept apart, duplicate idempotency keys with
/// different bodies applied once, concurrent starts and signals, and a normal workflow afterwards. Each returns how many requests it sent.
/// </summary>
internal static class HostileChecks
{
    /// <summary>Generous bound for a workflow to close on a loaded 2-core machine.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How many requests race in the concurrency checks.</summary>
    private const int Racers = 16;

    /// <summary>Starts a workflow under every accepted ID with the ID as its memo; each must show its own ID and memo, and nobody else's.</summary>
    public static async Task<int> AcceptedIdsKeepApartAsync(DevServerProcess server, string stem, ITestOutputHelper output)
    {
        var port = server.Client.BaseAddress!.Port;
        var ids = HostileIds.Accepted(stem + "ok-");
        var sent = 0;
        foreach (var id in ids)
        {
            var body = JsonSerializer.Serialize(new { input = new { count = 1, delayMs = 0 }, memo = new { owner = id.Text } });
            var start = await SendAsync(server, HostileRequest.Text("accepted:" + id.Label, "POST", $"/api/workflows/HelloSequence?id={id.Encoded}&envelope=true", body, false));
            Assert.True(start.Status == 202, $"Start of '{id.Label}' answered {start.Status}: {start.Body}");
            Assert.Equal(id.Text, start.Json().GetProperty("id").GetString());
            sent++;
        }

        foreach (var id in ids)
        {
            var result = await server.Client.WaitForResultAsync(id.Text!, CloseTimeout, diagnostics: () => server.Output);
            Assert.True(result.GetProperty("status").GetString() == "Completed", $"'{id.Label}' ended {result}");
            Assert.Equal(id.Text, result.GetProperty("id").GetString());

            var describe = await SendAsync(server, HostileRequest.Text("accepted:" + id.Label, "GET", $"/api/workflows/{id.Encoded}", null, false));
            var description = describe.Json();
            Assert.Equal(id.Text, description.GetProperty("id").GetString());
            Assert.True(id.Text == description.GetProperty("memo").GetProperty("owner").GetString(), $"'{id.Label}' shows another's memo: {describe.Body}");

            var history = await SendAsync(server, HostileRequest.Text("accepted:" + id.Label, "GET", $"/api/workflows/{id.Encoded}/history", null, false));
            Assert.Equal(id.Text, history.Json().GetProperty("id").GetString());

            var list = await SendAsync(server, HostileRequest.Text("accepted:" + id.Label, "GET", $"/api/workflows?idPrefix={id.Encoded}", null, false));
            var listed = list.Json().GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            Assert.True(listed.Contains(id.Text!), $"'{id.Label}' is missing from its own idPrefix list: {list.Body}");
            Assert.All(listed, other => Assert.StartsWith(id.Text!, other, StringComparison.Ordinal));

            _ = await SendAsync(server, HostileRequest.Text("accepted:" + id.Label, "POST", $"/api/workflows/{id.Encoded}/signals/nope", "1", true));
            sent += 5;
        }

        output.WriteLine($"{ids.Count} accepted IDs started, completed and kept apart.");
        return sent;
    }

    /// <summary>The same request ID or update ID sent again with another body is applied once, with the first body.</summary>
    public static async Task<int> DuplicateKeysApplyOnceAsync(DevServerProcess server, HostileCorpus corpus)
    {
        var loan = corpus.Fresh();
        var encoded = HostileIds.Encode(loan);
        await PostAsync(server, $"/api/workflows/LoanApprovalWorkflow?id={encoded}", """{"applicantId":"ann","amount":1000}""", 202);

        var first = await PostAsync(server, $"/api/workflows/{encoded}/updates/set-amount?updateId=u1", "1500", 200);
        var again = await SendAsync(server, HostileRequest.Text("duplicates:update", "POST", $"/api/workflows/{encoded}/updates/set-amount?updateId=u1", "2500", false));
        Assert.Equal(1500m, first.Json().GetProperty("result").GetDecimal());
        Assert.True(again.Status >= 400 || again.Json().GetProperty("result").GetDecimal() == 1500m, $"A repeated updateId with another argument answered {again.Status}: {again.Body}");

        await PostAsync(server, $"/api/workflows/{encoded}/signals/decide?requestId=r1", """{"approved":true,"reviewer":"first"}""", 202);
        var duplicate = await SendAsync(server, HostileRequest.Text("duplicates:signal", "POST", $"/api/workflows/{encoded}/signals/decide?requestId=r1", """{"approved":false,"reviewer":"second"}""", false));
        Assert.True(duplicate.Status is 202 or >= 400 and < 500, $"A repeated requestId answered {duplicate.Status}: {duplicate.Body}");

        var result = await server.Client.WaitForResultAsync(loan, CloseTimeout, diagnostics: () => server.Output);
        Assert.Equal("approved by first", result.GetProperty("result").GetString());
        var history = await server.Client.HistoryAsync(loan);
        Assert.Single(history.OfKind("WorkflowSignaled"));
        Assert.Single(history.OfKind("WorkflowUpdateAccepted"));
        Assert.Contains("1500", history.OfKind("ActivityScheduled").Last().GetProperty("input").ToString(), StringComparison.Ordinal);

        var started = corpus.Fresh();
        var signalWithStart = $"/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={HostileIds.Encode(started)}&requestId=s1&taskQueue={HostileCorpus.IdleTaskQueue}";
        await PostAsync(server, signalWithStart, """{"input":{"applicantId":"one","amount":1},"signal":{"approved":true,"reviewer":"one"}}""", 202);
        var second = await SendAsync(server, HostileRequest.Text("duplicates:signal-with-start", "POST", signalWithStart, """{"input":{"applicantId":"two","amount":2},"signal":{"approved":false,"reviewer":"two"}}""", false));
        Assert.True(second.Status < 500, second.Body);
        var startedEvent = (await server.Client.HistoryAsync(started)).OfKind("WorkflowStarted").Single();
        Assert.Equal("one", startedEvent.GetProperty("input").GetProperty("applicantId").GetString());

        var schedule = HostileIds.Encode(corpus.Fresh());
        const string Definition = """{"spec":{"intervals":[{"every":"1.00:00:00"}]},"action":{"workflowType":"HelloSequence","input":{"count":0,"delayMs":0}},"paused":true,"note":"NOTE"}""";
        await PostAsync(server, $"/api/schedules/{schedule}", Definition.Replace("NOTE", "first", StringComparison.Ordinal), 201);
        await PostAsync(server, $"/api/schedules/{schedule}", Definition.Replace("NOTE", "second", StringComparison.Ordinal), 409);
        var described = await SendAsync(server, HostileRequest.Text("duplicates:schedule", "GET", $"/api/schedules/{schedule}", null, false));
        Assert.Equal("first", described.Json().GetProperty("note").GetString());
        return 12;
    }

    /// <summary>Concurrent starts of one ID: exactly one wins and describe shows its run. Concurrent signals with one request ID: applied once.</summary>
    public static async Task<int> ConcurrentStartsAndSignalsAsync(DevServerProcess server, HostileCorpus corpus)
    {
        var id = HostileIds.Encode(corpus.Fresh());
        var starts = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => SendAsync(server, HostileRequest.Text(
            "concurrent:start", "POST", $"/api/workflows/LoanApprovalWorkflow?id={id}", $$"""{"applicantId":"racer{{i}}","amount":1000}""", false))));
        Assert.All(starts, s => Assert.True(s.Status is 202 or 409, $"A racing start answered {s.Status}: {s.Body}"));
        var winner = Assert.Single(starts, s => s.Status == 202);
        var runId = winner.Json().GetProperty("runId").GetString();
        var describe = await SendAsync(server, HostileRequest.Text("concurrent:describe", "GET", $"/api/workflows/{id}", null, false));
        Assert.Equal(runId, describe.Json().GetProperty("runId").GetString());

        var signals = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => SendAsync(server, HostileRequest.Text(
            "concurrent:signal", "POST", $"/api/workflows/{id}/signals/decide?requestId=same", $$"""{"approved":true,"reviewer":"racer{{i}}"}""", false))));
        Assert.All(signals, s => Assert.True(s.Status == 202, $"A racing signal answered {s.Status}: {s.Body}"));

        var text = Uri.UnescapeDataString(id);
        var result = await server.Client.WaitForResultAsync(text, CloseTimeout, diagnostics: () => server.Output);
        var history = await server.Client.HistoryAsync(text);
        var signaled = Assert.Single(history.OfKind("WorkflowSignaled"));
        Assert.Equal($"approved by {signaled.GetProperty("input").GetProperty("reviewer").GetString()}", result.GetProperty("result").GetString());
        return (2 * Racers) + 1;
    }

    /// <summary>After the corpus, a plain workflow still runs to completion, and so does the idle target once signalled and served.</summary>
    public static async Task NormalWorkflowCompletesAsync(DevServerProcess server, HostileCorpus corpus)
    {
        var id = corpus.Fresh();
        await server.Client.StartHelloAsync(id, count: 3, delayMs: 0);
        var result = await server.Client.WaitForResultAsync(id, CloseTimeout, diagnostics: () => server.Output);
        Assert.Equal("Completed", result.GetProperty("status").GetString());
        Assert.Equal([0, 1, 2], result.GetProperty("result").EnumerateArray().Select(e => e.GetInt32()));
    }

    private static async Task<RawResponse> PostAsync(DevServerProcess server, string target, string body, int status)
    {
        var response = await SendAsync(server, HostileRequest.Text("setup", "POST", target, body, false));
        Assert.True(response.Status == status, $"POST {target} answered {response.Status}, not {status}: {response.Body}");
        return response;
    }

    private static async Task<RawResponse> SendAsync(DevServerProcess server, HostileRequest request)
    {
        var response = await HostileCorpusTests.SendAsync(server.Client.BaseAddress!.Port, request);
        HostileCorpusTests.AssertAnswer(request, response, server);
        return response;
    }
}
