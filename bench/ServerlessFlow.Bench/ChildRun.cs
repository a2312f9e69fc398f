using System.Text.Json;
using ServerlessFlow.Bench.Counting;
using ServerlessFlow.Bench.Engines;
using ServerlessFlow.Bench.Engines.Dtfx;
using ServerlessFlow.Bench.Engines.Ours;
using ServerlessFlow.Bench.Workloads;

namespace ServerlessFlow.Bench;

/// <summary>
/// One engine on one workload, in a process of its own: its memory, JIT and background loops are its own,
/// and it prints its figures as one JSON line after <see cref="ResultMarker"/>.
/// </summary>
internal static class ChildRun
{
    public const string ResultMarker = "BENCH-RESULT ";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(BenchOptions options, string engineName, string connectionString, CancellationToken cancellationToken)
    {
        var workload = options.Workloads.Single();
        var tally = new RequestTally(new StorageEndpoints(connectionString));
        var concurrency = options.ConcurrencyOf(workload);
        await using IEngineDriver engine = engineName switch
        {
            "ours" => new OursDriver(connectionString, tally, concurrency, eager: !options.NoEager, taskQueues: options.TaskQueues),
            "dtfx" => new DtfxDriver(connectionString, tally, concurrency),
            _ => throw new ArgumentException($"Unknown engine '{engineName}'."),
        };
        var probe = new StorageProbe(connectionString, engine.ResourcePrefix);
        var result = workload == Workload.Idle
            ? await new IdleWorkload(engine, tally, probe, options).RunAsync(cancellationToken)
            : await new WorkflowWorkload(engine, tally, new CpuClock(options.StoragePid), probe, options, workload).RunAsync(cancellationToken);
        Console.WriteLine(ResultMarker + JsonSerializer.Serialize(result, Json));
    }
}
