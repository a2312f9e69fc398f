using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Bench;

/// <summary>Runs N HelloSequence workflows on one engine process against Azure Storage and measures them.</summary>
internal static class BenchRun
{
    public static async Task<BenchResult> RunAsync(BenchOptions options, string connectionString, CancellationToken cancellationToken)
    {
        var counter = new RequestCounter();
        var prefix = "b" + Guid.NewGuid().ToString("N")[..8];
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddServerlessFlow(b => b.AddSamples()
            .UseAzureStorage(new AzureStorageOptions { ConnectionString = connectionString, Prefix = prefix, Policies = [counter] })
            .ConfigureWorker(o => o with { MaxConcurrentWorkflowTasks = options.Concurrency, MaxConcurrentActivities = options.Concurrency }));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IWorkflowClient>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var worker = provider.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);

        // Warm up (creates tables and queues, JITs the paths) outside the measurement.
        var warm = await client.StartWorkflowAsync("HelloSequence", new HelloInput(1, 0), new StartWorkflowOptions(), cancellationToken);
        await client.WaitForCloseAsync(warm.Id, TimeSpan.FromSeconds(60), cancellationToken);
        counter.Reset();

        var latencies = new List<double>();
        using var gate = new SemaphoreSlim(options.Concurrency);
        var clock = Stopwatch.StartNew();
        var runs = Enumerable.Range(0, options.Workflows).Select(async _ =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var handle = await client.StartWorkflowAsync("HelloSequence", new HelloInput(options.Activities, options.DelayMs), new StartWorkflowOptions(), cancellationToken);
                WorkflowDescription closed;
                using (counter.Exclude())
                {
                    closed = await client.WaitForCloseAsync(handle.Id, TimeSpan.FromMinutes(5), cancellationToken); // the benchmark's polling is not the engine's cost
                }

                if (closed.Status != WorkflowStatus.Completed)
                {
                    throw new InvalidOperationException($"Workflow {handle.Id} ended as {closed.Status}.");
                }

                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(runs);
        var elapsed = clock.Elapsed;
        var requests = counter.Snapshot();
        await stop.CancelAsync();
        await worker;

        latencies.Sort();
        return new BenchResult(options, elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.95), (double)requests.Total / options.Workflows, PerWorkflow(requests, options.Workflows), Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>Each "{METHOD} {resource}" count divided by the workflows, most frequent first.</summary>
    private static string PerWorkflow(RequestCountSnapshot requests, int workflows) => string.Join(", ", requests.ByResource
        .OrderByDescending(pair => pair.Value)
        .ThenBy(pair => pair.Key, StringComparer.Ordinal)
        .Select(pair => $"{pair.Key}: {(double)pair.Value / workflows:F1}"));

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>The figures of one run.</summary>
internal sealed record BenchResult(BenchOptions Options, TimeSpan Elapsed, double P50Ms, double P95Ms, double RequestsPerWorkflow, string RequestBreakdown, long PeakWorkingSetBytes)
{
    public override string ToString() => string.Join(Environment.NewLine,
        $"workflows: {Options.Workflows} x HelloSequence({Options.Activities} activities, {Options.DelayMs} ms), concurrency {Options.Concurrency}",
        $"elapsed: {Elapsed.TotalSeconds:F2} s",
        $"workflows/s: {Options.Workflows / Elapsed.TotalSeconds:F1}",
        $"activities/s: {Options.Workflows * Options.Activities / Elapsed.TotalSeconds:F1}",
        $"start-to-completion latency: p50 {P50Ms:F1} ms, p95 {P95Ms:F1} ms",
        $"storage requests per workflow: {RequestsPerWorkflow:F1}",
        $"requests by kind (per workflow): {RequestBreakdown}",
        $"engine process peak working set: {PeakWorkingSetBytes / (1024 * 1024)} MiB");
}
