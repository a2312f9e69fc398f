using System.Text.Json;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.EndToEnd.Tests;

/// <summary>
/// Traces across a kill -9: two dev server processes write their spans to one file (--trace-file, one JSON line per
/// finished span), and the run they share is still one trace rooted at its start.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class DevServerTraceTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ExecutionLog log = new();
    private readonly string spanFile = Path.Combine(Path.GetTempPath(), $"serverlessflow-spans-{Guid.NewGuid():N}.jsonl");

    public void Dispose()
    {
        log.Dispose();
        File.Delete(spanFile);
    }

    [Fact]
    public async Task DevServer_KilledMidRun_RunIsStillOneTraceOfStartSixTasksAndFiveActivities()
    {
        var prefix = "tr" + Guid.NewGuid().ToString("N")[..10];
        var id = $"trace-kill-{Guid.NewGuid():N}";
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        string[] arguments = ["--storage-connection-string", azurite.ConnectionString, "--prefix", prefix, "--trace-file", spanFile];
        var first = await DevServerProcess.StartAsync(arguments, log.Path);
        try
        {
            await first.Client.StartHelloAsync(id, count: 5, delayMs: 1000, timeoutMs: 5_000, traceParent: $"00-{traceId}-{"ab12cd34ef56ab78"}-01");
            await Polling.UntilAsync(TimeSpan.FromSeconds(60), "two ActivityCompleted events", async () =>
            {
                var completed = (await first.Client.HistoryAsync(id)).OfKind("ActivityCompleted").Count;
                return (completed >= 2, completed);
            }, () => first.Output);
            await first.KillAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        var killedAt = DateTimeOffset.UtcNow;
        await using var second = await DevServerProcess.StartAsync(arguments, log.Path);
        Assert.True((await second.Client.HistoryAsync(id)).OfKind("ActivityCompleted").Count < 5, "The workflow finished before the kill; the kill must land mid-run.");
        var result = await second.Client.WaitForResultAsync(id, TimeSpan.FromSeconds(120), diagnostics: () => second.Output);
        Assert.Equal("Completed", result.GetProperty("status").GetString());

        // The closing task's span is written when its commit returns, before the result is visible: the file is complete.
        var spans = File.ReadAllLines(spanFile).Select(line => JsonDocument.Parse(line).RootElement)
            .Where(s => s.GetProperty("attributes").TryGetProperty("serverlessflow.workflow.id", out var w) && w.GetString() == id)
            .ToList();
        Assert.All(spans, s => Assert.Equal(traceId, s.GetProperty("traceId").GetString()));
        var root = Assert.Single(spans, s => s.GetProperty("name").GetString() == "StartWorkflow HelloSequence");
        var rootId = root.GetProperty("spanId").GetString();
        var tasks = spans.Where(s => s.GetProperty("name").GetString() == "WorkflowTask HelloSequence" && Attribute(s, "serverlessflow.outcome") == "committed").ToList();
        var attempts = spans.Where(s => s.GetProperty("name").GetString() == "Activity Step").ToList();

        Assert.Equal(6, tasks.Count);
        // Five activities completed, each at least once (the attempt in flight at the kill may have completed twice: at-least-once).
        Assert.Equal(5, attempts.Where(a => Attribute(a, "serverlessflow.outcome") == "completed").Select(a => Attribute(a, "serverlessflow.activity.scheduled_event_id")).Distinct().Count());
        Assert.All(spans.Where(s => s.GetProperty("spanId").GetString() != rootId), s => Assert.Equal(rootId, s.GetProperty("parentSpanId").GetString()));

        // Both processes contributed: spans that began before the kill and spans that began after it.
        Assert.Contains(spans, s => s.GetProperty("start").GetDateTimeOffset() < killedAt);
        Assert.Contains(tasks, s => s.GetProperty("start").GetDateTimeOffset() > killedAt);
    }

    private static string? Attribute(JsonElement span, string name) =>
        span.GetProperty("attributes").TryGetProperty(name, out var value) ? value.GetString() : null;
}
