using ServerlessFlow.Bench.Workloads;

namespace ServerlessFlow.Bench.Reporting;

/// <summary>Folds several runs of one engine on one workload into one result of medians, figure by figure.</summary>
internal static class Medians
{
    public static EngineResult Of(IReadOnlyList<EngineResult> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        double? Median(Func<EngineResult, double?> figure) =>
            runs.Select(figure).OfType<double>().ToList() is { Count: > 0 } values ? Statistics.Median(values) : null;
        long? MedianLong(Func<EngineResult, long?> figure) => Median(r => figure(r)) is { } m ? (long)Math.Round(m) : null;
        return runs[0] with
        {
            ElapsedSeconds = Median(r => r.ElapsedSeconds),
            WorkflowsPerSecond = Median(r => r.WorkflowsPerSecond),
            P50Ms = Median(r => r.P50Ms),
            P95Ms = Median(r => r.P95Ms),
            RequestsPerWorkflow = Median(r => r.RequestsPerWorkflow),
            RequestsPerActivity = Median(r => r.RequestsPerActivity),
            DeferredRequestsPerWorkflow = Median(r => r.DeferredRequestsPerWorkflow),
            DeferredSeconds = Median(r => r.DeferredSeconds),
            OwedMessages = MedianLong(r => r.OwedMessages),
            BenchRequestsPerWorkflow = Median(r => r.BenchRequestsPerWorkflow),
            CpuMsPerWorkflow = Median(r => r.CpuMsPerWorkflow),
            StorageCpuMsPerWorkflow = Median(r => r.StorageCpuMsPerWorkflow),
            CpuCoresBusy = Median(r => r.CpuCoresBusy),
            StorageCpuCoresBusy = Median(r => r.StorageCpuCoresBusy),
            IdleRequestsPerSecond = Median(r => r.IdleRequestsPerSecond),
            AfterBurstRequestsPerSecond = Median(r => r.AfterBurstRequestsPerSecond),
            PeakMemoryMiB = Statistics.Median(runs.Select(r => r.PeakMemoryMiB)),
            EarlyStepMs = Median(r => r.EarlyStepMs),
            LateStepMs = Median(r => r.LateStepMs),
            StallMs = Median(r => r.StallMs),
            RequestsByKind = MedianByKey(runs.Select(r => r.RequestsByKind)),
            DeferredByKind = MedianByKey(runs.Select(r => r.DeferredByKind)),
            AfterBurstByKind = MedianByKey(runs.Select(r => r.AfterBurstByKind)),
            TableRows = runs[^1].TableRows,
        };
    }

    /// <summary>Per key, the median over the runs, a run without the key counting as 0.</summary>
    private static Dictionary<string, double> MedianByKey(IEnumerable<IReadOnlyDictionary<string, double>> runs)
    {
        var all = runs.ToList();
        return all.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal)
            .ToDictionary(key => key, key => Statistics.Median(all.Select(r => r.GetValueOrDefault(key))), StringComparer.Ordinal);
    }
}
