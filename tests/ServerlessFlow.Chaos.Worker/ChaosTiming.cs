using ServerlessFlow.Engine;

namespace ServerlessFlow.Chaos.Worker;

/// <summary>
/// The worker settings of a chaos run: shorter than the defaults so that what a kill or a lost message leaves
/// behind is recovered within seconds, which keeps the suite inside its CI budget. Every recovery path is the
/// production one; only its clocks are faster.
/// </summary>
public static class ChaosTiming
{
    /// <summary>What a worker prints once it polls.</summary>
    public const string ReadyLine = "chaos-worker ready";

    /// <summary>The first word of the line a worker prints with its injected fault counts.</summary>
    public const string FaultReportLine = "faults";

    /// <summary>First delay of the storage SDK's retry backoff (default 0.8 s).</summary>
    public static readonly TimeSpan StorageRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>A killed worker's messages reappear after this (default 30 s).</summary>
    public static readonly TimeSpan MessageLease = TimeSpan.FromSeconds(10);

    /// <summary>Age at which the recovery sweep wakes a workflow with an unsent outbox or unconsumed inbox row (default 30 s).</summary>
    public static readonly TimeSpan StallThreshold = TimeSpan.FromSeconds(5);

    /// <summary>How often each worker sweeps (default 15 s).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(3);

    /// <summary>Applies the chaos clocks to the worker options, and turns eager execution off for a queued worker.</summary>
    public static WorkerOptions Apply(WorkerOptions options, bool queued)
    {
        ArgumentNullException.ThrowIfNull(options);
        var timed = options with { MessageLease = MessageLease, StallThreshold = StallThreshold, SweepInterval = SweepInterval };
        return queued ? timed with { EagerStart = false, EagerExecutionBudget = TimeSpan.Zero } : timed;
    }
}
