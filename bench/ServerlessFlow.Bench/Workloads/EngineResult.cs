namespace ServerlessFlow.Bench.Workloads;

/// <summary>
/// The figures of one engine on one workload in one run (or, in a report, the medians of several runs).
/// A figure that does not apply to the workload is null.
/// </summary>
internal sealed record EngineResult
{
    public required string Engine { get; init; }

    public required string Workload { get; init; }

    public int Workflows { get; init; }

    public int ActivitiesPerWorkflow { get; init; }

    public int Concurrency { get; init; }

    public double? ElapsedSeconds { get; init; }

    public double? WorkflowsPerSecond { get; init; }

    public double? P50Ms { get; init; }

    public double? P95Ms { get; init; }

    /// <summary>Requests from the first start until the last workflow closed, per workflow.</summary>
    public double? RequestsPerWorkflow { get; init; }

    /// <summary>Requests of the run and of its aftermath, per activity.</summary>
    public double? RequestsPerActivity { get; init; }

    /// <summary>Requests after the last workflow closed until the queues had no message left, per workflow.</summary>
    public double? DeferredRequestsPerWorkflow { get; init; }

    /// <summary>How long the run's leftover messages took to fire and be handled.</summary>
    public double? DeferredSeconds { get; init; }

    /// <summary>Messages still in the queues when the drain deadline passed: work the run still owes.</summary>
    public long? OwedMessages { get; init; }

    /// <summary>The benchmark's own requests (its polling for results) per workflow: in no request figure, but Azurite serves them.</summary>
    public double? BenchRequestsPerWorkflow { get; init; }

    /// <summary>CPU time (user + system) of the engine's process from the first start until the last workflow closed, per workflow.</summary>
    public double? CpuMsPerWorkflow { get; init; }

    /// <summary>CPU time of Azurite's process over the same window, per workflow (null when the benchmark did not start Azurite).</summary>
    public double? StorageCpuMsPerWorkflow { get; init; }

    /// <summary>The engine process's CPU time over the run's wall-clock time: how many cores it kept busy on average.</summary>
    public double? CpuCoresBusy { get; init; }

    /// <summary>Azurite's CPU time over the run's wall-clock time (Azurite is single-threaded: near 1 means it is the bottleneck).</summary>
    public double? StorageCpuCoresBusy { get; init; }

    public double? IdleRequestsPerSecond { get; init; }

    /// <summary>The engine's requests per second 10–70 s after the last workflow closed (and the run's leftovers drained).</summary>
    public double? AfterBurstRequestsPerSecond { get; init; }

    public double PeakMemoryMiB { get; init; }

    /// <summary>Long workflow: median step time over the steps near step 20.</summary>
    public double? EarlyStepMs { get; init; }

    /// <summary>Long workflow: median step time over the last steps.</summary>
    public double? LateStepMs { get; init; }

    /// <summary>Long workflow: the largest gap between two consecutive steps.</summary>
    public double? StallMs { get; init; }

    /// <summary>Requests per workflow by kind during the run (per second for the idle workload).</summary>
    public IReadOnlyDictionary<string, double> RequestsByKind { get; init; } = new Dictionary<string, double>();

    /// <summary>Deferred requests per workflow by kind.</summary>
    public IReadOnlyDictionary<string, double> DeferredByKind { get; init; } = new Dictionary<string, double>();

    /// <summary>Requests per second by kind 10–70 s after the last workflow closed.</summary>
    public IReadOnlyDictionary<string, double> AfterBurstByKind { get; init; } = new Dictionary<string, double>();

    /// <summary>Rows per table of this run's fresh tables at the end.</summary>
    public IReadOnlyDictionary<string, long> TableRows { get; init; } = new Dictionary<string, long>();
}
