using System.Diagnostics;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.TestSupport;
using Xunit.Abstractions;

namespace ServerlessFlow.EndToEnd.Tests.Hostile;

/// <summary>
/// The hostile corpus (issue 11) against the dev server on Azurite: no 5xx, no hang, no crash, every refusal an RFC 9457 problem,
/// a refused request changes nothing, no ID shows another's data, and afterwards a normal workflow still completes.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class HostileCorpusTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    /// <summary>Longest any one corpus request may take: the corpus sends no long-poll that may wait, so anything slower is a hang.</summary>
    private static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The corpus the issue asks for, at the least.</summary>
    private const int MinimumCorpusSize = 500;

    [Fact]
    public async Task DevServer_HostileCorpus_RefusesCleanlyChangesNothingAndKeepsWorking()
    {
        var prefix = "hostile" + Guid.NewGuid().ToString("N")[..8];
        await using var server = await DevServerProcess.StartAsync(azurite.ConnectionString, prefix);
        var port = server.Client.BaseAddress!.Port;
        var stem = "h" + Guid.NewGuid().ToString("N")[..6] + "-";
        var corpus = new HostileCorpus(stem + "idle", stem + "schedule", stem);
        var clock = Stopwatch.StartNew();
        var sent = 0;

        // The targets: a workflow no worker serves and a paused schedule, so that only the API can change them.
        Assert.Equal(202, (await SendAsync(port, HostileRequest.Text("setup", "POST",
            $"/api/workflows/LoanApprovalWorkflow?id={HostileIds.Encode(corpus.Idle)}&taskQueue={HostileCorpus.IdleTaskQueue}",
            """{"applicantId":"ann","amount":1000}""", false))).Status);
        Assert.Equal(201, (await SendAsync(port, HostileRequest.Text("setup", "POST", $"/api/schedules/{HostileIds.Encode(corpus.Schedule)}",
            """{"spec":{"intervals":[{"every":"1.00:00:00"}]},"action":{"workflowType":"HelloSequence","input":{"count":0,"delayMs":0}},"paused":true}""", false))).Status);

        // Refused identifiers never reach storage: not one entity may change while they are sent.
        var before = await StorageSnapshot.TakeAsync(azurite.ConnectionString, prefix);
        sent += await RunAsync(port, corpus.RefusedIdentifiers(), server);
        var after = await StorageSnapshot.TakeAsync(azurite.ConnectionString, prefix);
        Assert.True(before.Count > 0, "The storage snapshot saw no entity: it looked at the wrong tables.");
        Assert.True(StorageSnapshot.Differences(before, after).Count == 0, "Refused identifiers changed storage: " + string.Join(", ", StorageSnapshot.Differences(before, after).Take(10)));

        sent += await RunAsync(port, corpus.MalformedBodies(), server);
        sent += await RunAsync(port, corpus.WrongTypes(), server);
        sent += await RunAsync(port, corpus.Schedules(), server);
        sent += await RunAsync(port, corpus.WrongMethods(ApiRoutes.All.Select(r => (r.Method, r.Template))), server);
        sent += await RunAsync(port, corpus.Filters(), server);
        sent += await RunAsync(port, corpus.QueryParameters(), server);
        sent += await HostileChecks.AcceptedIdsKeepApartAsync(server, stem, output);
        sent += await HostileChecks.DuplicateKeysApplyOnceAsync(server, corpus);
        sent += await HostileChecks.ConcurrentStartsAndSignalsAsync(server, corpus);

        output.WriteLine($"Sent {sent} hostile requests in {clock.Elapsed.TotalSeconds:F1} s.");
        Assert.True(sent >= MinimumCorpusSize, $"The corpus has {sent} requests; the issue asks for at least {MinimumCorpusSize}.");
        await HostileChecks.NormalWorkflowCompletesAsync(server, corpus);
        Assert.DoesNotContain("Unhandled exception", server.Output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sends each request in order, checking the invariants of each; returns how many it sent.</summary>
    private static async Task<int> RunAsync(int port, IEnumerable<HostileRequest> requests, DevServerProcess server)
    {
        var count = 0;
        foreach (var request in requests)
        {
            var watchedBefore = request.Watch is null ? null : await WatchedStateAsync(port, request.Watch);
            var response = await SendAsync(port, request);
            AssertAnswer(request, response, server);
            if (response.Status >= 400 && request.Watch is not null)
            {
                var watchedAfter = await WatchedStateAsync(port, request.Watch);
                Assert.True(watchedBefore == watchedAfter, $"{request} was refused ({response.Status}) yet changed {request.Watch.Kind} '{request.Watch.Encoded}':\nbefore: {watchedBefore}\nafter:  {watchedAfter}");
            }

            count++;
        }

        return count;
    }

    /// <summary>Sends one corpus request within <see cref="RequestDeadline"/>, failing the test with the request named if it hangs or the server dies.</summary>
    internal static async Task<RawResponse> SendAsync(int port, HostileRequest request)
    {
        using var deadline = new CancellationTokenSource(RequestDeadline);
        try
        {
            return await RawHttp.SendAsync(port, request.Method, request.Target, request.Body, request.Headers, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"{request} had no answer within {RequestDeadline.TotalSeconds} s.");
            throw;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            Assert.Fail($"{request} got no complete answer: {e.Message}");
            throw;
        }
    }

    /// <summary>No 5xx; a refusal is a 4xx RFC 9457 problem; a request that must be refused is.</summary>
    internal static void AssertAnswer(HostileRequest request, RawResponse response, DevServerProcess server)
    {
        Assert.True(response.Status < 500, $"{request} answered {response.Status}: {response.Body}\n{Tail(server.Output)}");
        Assert.True(!request.MustRefuse || response.Status >= 400, $"{request} must be refused but answered {response.Status}: {response.Body}");
        if (response.Status < 400)
        {
            return;
        }

        // Kestrel refuses a path whose decoding holds NUL itself, with a bare 400, before any application code runs.
        if (response.Status == 400 && request.Target.Split('?')[0].Contains("%00", StringComparison.Ordinal) && response.Body.Length == 0)
        {
            return;
        }

        Assert.True(response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true, $"{request} answered {response.Status} without a problem: '{response.ContentType}' {response.Body}");
        var problem = response.Json();
        Assert.True(problem.GetProperty("status").GetInt32() == response.Status, $"{request}: the problem's status differs from the response's: {response.Body}");
        Assert.StartsWith(ApiProblems.TypePrefix, problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), $"{request}: the problem has no title.");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"{request}: the problem has no detail.");
    }

    /// <summary>What the API shows of a watched workflow (describe and history) or what a request may change of a schedule (definition, pause, note).</summary>
    private static async Task<string> WatchedStateAsync(int port, Watched watch)
    {
        var setup = HostileRequest.Text("snapshot", "GET", $"/api/{watch.Kind}s/{watch.Encoded}", null, false);
        var describe = await SendAsync(port, setup);
        if (watch.Kind == "schedule")
        {
            if (describe.Status != 200)
            {
                return $"{describe.Status}";
            }

            var schedule = describe.Json();
            // Not the ETag or the counters: the schedule's own passes change those whenever an accepted trigger or backfill is due.
            return $"{schedule.GetProperty("definition")} {schedule.GetProperty("paused")} {schedule.GetProperty("note")}";
        }

        var history = await SendAsync(port, setup with { Target = setup.Target + "/history" });
        return $"{describe.Status} {describe.Body}\n{history.Status} {history.Body}";
    }

    private static string Tail(string text) => text.Length > 4_000 ? text[^4_000..] : text;
}
