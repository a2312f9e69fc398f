using ServerlessFlow.Bench.Counting;
using ServerlessFlow.Bench.Engines;

namespace ServerlessFlow.Bench.Workloads;

/// <summary>An engine process with no workflows: what does it cost to keep it running?</summary>
internal sealed class IdleWorkload(IEngineDriver engine, RequestTally tally, StorageProbe probe, BenchOptions options)
{
    /// <summary>Startup (creating storage, taking leases) is not idling: the watch starts after it.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public async Task<EngineResult> RunAsync(CancellationToken cancellationToken)
    {
        await engine.StartAsync(cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        var before = tally.Snapshot();
        await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), cancellationToken);
        var idle = tally.Snapshot().Since(before);
        var tableRows = await probe.TableRowsAsync(cancellationToken);
        await engine.StopAsync();
        return new EngineResult
        {
            Engine = engine.Name,
            Workload = BenchOptions.NameOf(Workload.Idle),
            IdleRequestsPerSecond = (double)idle.Total / options.IdleSeconds,
            PeakMemoryMiB = WorkflowWorkload.PeakMemoryMiB(),
            RequestsByKind = idle.Per(options.IdleSeconds),
            TableRows = tableRows,
        };
    }
}
