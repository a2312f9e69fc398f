using System.Diagnostics;
using System.Net;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ServerlessFlow.Engine.Diagnostics;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>OpenTelemetry traces of a run, read with the in-memory exporter: one trace, continuing the caller's traceparent.</summary>
[Collection(ApiServerGroup.Name)]
public sealed class WorkflowTraceTests(ApiServer server)
{
    [Fact]
    public async Task StartWithTraceparent_HelloSequenceOfFive_OneTraceOfStartSixTasksAndFiveAttempts()
    {
        var exported = new List<Activity>();
        var traceId = ActivityTraceId.CreateRandom();

        // Tests of other collections run at the same time: only this trace is recorded, so the list holds nothing else.
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(ServerlessFlowTelemetry.Name).SetSampler(new OnlyTrace(traceId)).AddInMemoryExporter(exported).Build();
        var callerSpan = ActivitySpanId.CreateRandom();
        var id = ApiCalls.NewId("trace");

        using var start = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/HelloSequence?id={id}")
        {
            Content = new StringContent("""{"count":5,"delayMs":0}""", Encoding.UTF8, "application/json"),
        };
        start.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        using var started = await server.Client.SendAsync(start);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        using var result = await server.Client.GetAsync($"/api/workflows/{id}/result?wait=60");
        Assert.Equal("Completed", (await result.JsonAsync()).GetProperty("status").GetString());
        tracing.ForceFlush();

        var trace = exported.ToList();
        Assert.All(trace, s => Assert.Equal(traceId, s.TraceId));

        var root = Assert.Single(trace, s => s.DisplayName == "StartWorkflow HelloSequence");
        // In the caller's trace (checked for every span above), under the caller's span or ASP.NET Core's request span that continued it.
        Assert.NotEqual(default, root.ParentSpanId);
        Assert.Equal(id, root.GetTagItem(TagNames.WorkflowId));
        var tasks = trace.Where(s => s.DisplayName == "WorkflowTask HelloSequence").ToList();
        var attempts = trace.Where(s => s.DisplayName == "Activity Step").ToList();
        Assert.Equal(6, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("committed", t.GetTagItem(TagNames.Outcome)));
        Assert.Equal("Completed", tasks.OrderBy(t => t.StartTimeUtc).Last().GetTagItem(TagNames.WorkflowStatus));
        Assert.Equal(5, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("completed", a.GetTagItem(TagNames.Outcome)));
        Assert.Equal(5, attempts.Select(a => a.GetTagItem(TagNames.ScheduledEventId)).Distinct().Count());

        // Every span of the run is the start's child, whichever worker thread or task ran it: nothing else is in the trace.
        Assert.All(tasks.Concat(attempts), s => Assert.Equal(root.SpanId, s.ParentSpanId));
        Assert.Equal(12, trace.Count);
    }

    /// <summary>Records the spans of one trace and nothing else.</summary>
    private sealed class OnlyTrace(ActivityTraceId traceId) : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(samplingParameters.TraceId == traceId ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }
}
