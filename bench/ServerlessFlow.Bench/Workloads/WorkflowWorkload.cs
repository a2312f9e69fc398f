using System.Diagnostics;
using ServerlessFlow.Bench.Counting;
using ServerlessFlow.Bench.Engines;
using ServerlessFlow.Bench.Reporting;

namespace ServerlessFlow.Bench.Workloads;

/// <summary>
/// Runs N workflows of one spec on one engine, at most C at a time, then keeps the engine running until the
/// messages the run left behind have fired and been handled, and measures all of it.
/// </summary>
internal sealed class WorkflowWorkload(IEngineDriver engine, RequestTally tally, CpuClock cpu, StorageProbe probe, BenchOptions options, Workload workload)
{
    /// <summary>How many steps each step-time window spans.</summary>
    private const int StepWindow = 20;

    /// <summary>How often the queues are looked at while the run's leftovers drain.</summary>
    private static readonly TimeSpan DrainPoll = TimeSpan.FromSeconds(1);

    /// <summary>Issue 15: after a burst ends, the engine is back to its idle cost within this long of the last close.</summary>
    private static readonly TimeSpan AfterBurstDelay = TimeSpan.FromSeconds(10);

    /// <summary>How long the requests are counted once <see cref="AfterBurstDelay"/> has passed.</summary>
    private static readonly TimeSpan AfterBurstWindow = TimeSpan.FromSeconds(60);

    /// <summary>The first workflow waits for the engine to own its queues (Durable Task leases take seconds).</summary>
    private static readonly TimeSpan WarmUpTimeout = TimeSpan.FromMinutes(3);

    private WorkflowSpec Spec => workload switch
    {
        Workload.Sequence => new SequenceSpec(options.Activities, options.DelayMs),
        Workload.FanOut => new FanOutSpec(options.FanOut, options.DelayMs),
        _ => new TimedStepsSpec(options.Steps),
    };

    /// <summary>A one-activity workflow of the same kind: creates storage and JITs the paths outside the measurement.</summary>
    private WorkflowSpec WarmUp => workload switch
    {
        Workload.Sequence => new SequenceSpec(1, 0),
        Workload.FanOut => new FanOutSpec(1, 0),
        _ => new TimedStepsSpec(2),
    };

    public async Task<EngineResult> RunAsync(CancellationToken cancellationToken)
    {
        var workflows = options.WorkflowsOf(workload);
        var concurrency = options.ConcurrencyOf(workload);
        var spec = Spec;
        await engine.StartAsync(cancellationToken);
        if (spec is TimedStepsSpec warmSteps)
        {
            StepClock.Reset(warmSteps.Count);
        }

        var warm = await engine.StartWorkflowAsync(WarmUp, cancellationToken);
        await engine.WaitForCompletionAsync(warm, WarmUpTimeout, cancellationToken);
        if (spec is not TimedStepsSpec)
        {
            // A batch of the measured workflows, not measured: a server's hot paths are compiled (the runtime's tiered JIT
            // recompiles what runs often), and a short run would otherwise measure the compiler as much as the engine.
            await RunBatchAsync(spec, options.WarmUpOf(workload), concurrency, cancellationToken);
        }

        if (spec is TimedStepsSpec steps)
        {
            StepClock.Reset(steps.Count);
        }

        var before = tally.Snapshot();
        var cpuBefore = cpu.Read();
        var first = DateTimeOffset.UtcNow;
        var (latencies, closes) = await RunBatchAsync(spec, workflows, concurrency, cancellationToken);
        var afterRun = tally.Snapshot();
        var cpuRun = cpu.Read().Since(cpuBefore);
        var window = DateTimeOffset.UtcNow - first;
        var elapsed = closes.Max() - first;
        var drain = Stopwatch.StartNew();
        var owed = await DrainAsync(cancellationToken);
        var deferredSeconds = drain.Elapsed.TotalSeconds;
        var afterDrain = tally.Snapshot();
        var afterBurst = await CountAfterBurstAsync(closes.Max(), cancellationToken);
        var tableRows = await probe.TableRowsAsync(cancellationToken);
        await engine.StopAsync();

        var run = afterRun.Since(before);
        var deferred = afterDrain.Since(afterRun);
        var gaps = spec is TimedStepsSpec ? StepClock.StepGapsMs() : [];
        return new EngineResult
        {
            Engine = engine.Name,
            Workload = BenchOptions.NameOf(workload),
            Workflows = workflows,
            ActivitiesPerWorkflow = spec.Activities,
            Concurrency = concurrency,
            ElapsedSeconds = elapsed.TotalSeconds,
            WorkflowsPerSecond = workflows / elapsed.TotalSeconds,
            P50Ms = Statistics.Percentile(latencies, 0.50),
            P95Ms = Statistics.Percentile(latencies, 0.95),
            RequestsPerWorkflow = (double)run.Total / workflows,
            RequestsPerActivity = spec.Activities == 0 ? null : (double)(run.Total + deferred.Total) / (workflows * spec.Activities),
            DeferredRequestsPerWorkflow = (double)deferred.Total / workflows,
            DeferredSeconds = deferredSeconds,
            AfterBurstRequestsPerSecond = afterBurst.Total / AfterBurstWindow.TotalSeconds,
            AfterBurstByKind = afterBurst.Per(AfterBurstWindow.TotalSeconds),
            OwedMessages = owed,
            BenchRequestsPerWorkflow = (double)run.BenchOwn / workflows,
            CpuMsPerWorkflow = cpuRun.Engine.TotalMilliseconds / workflows,
            StorageCpuMsPerWorkflow = cpuRun.Storage?.TotalMilliseconds / workflows,
            CpuCoresBusy = cpuRun.Engine / window,
            StorageCpuCoresBusy = cpuRun.Storage / window,
            PeakMemoryMiB = PeakMemoryMiB(),
            EarlyStepMs = gaps.Length == 0 ? null : Statistics.Median(gaps.Skip(Math.Min(10, gaps.Length - 1)).Take(StepWindow)),
            LateStepMs = gaps.Length == 0 ? null : Statistics.Median(gaps.TakeLast(StepWindow)),
            StallMs = gaps.Length == 0 ? null : gaps.Max(),
            RequestsByKind = run.Per(workflows),
            DeferredByKind = deferred.Per(workflows),
            TableRows = tableRows,
        };
    }

    /// <summary>Runs <paramref name="count"/> workflows, at most <paramref name="concurrency"/> at a time; returns each one's start→close latency and close time.</summary>
    private async Task<(double[] Latencies, DateTimeOffset[] Closes)> RunBatchAsync(WorkflowSpec spec, int count, int concurrency, CancellationToken cancellationToken)
    {
        var latencies = new double[count];
        var closes = new DateTimeOffset[count];
        var timeout = TimeSpan.FromMinutes(options.TimeoutMinutes);
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var started = DateTimeOffset.UtcNow;
                var id = await engine.StartWorkflowAsync(spec, cancellationToken);
                closes[i] = await engine.WaitForCompletionAsync(id, timeout, cancellationToken);
                latencies[i] = (closes[i] - started).TotalMilliseconds;
            }
            finally
            {
                gate.Release();
            }
        }));
        return (latencies, closes);
    }

    /// <summary>
    /// Waits until the engine's queues hold no message (delayed ones included) on two looks in a row, or until
    /// the drain deadline; returns how many messages were still owed then.
    /// </summary>
    private async Task<long> DrainAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(options.DrainSeconds);
        var emptyLooks = 0;
        while (true)
        {
            await Task.Delay(DrainPoll, cancellationToken);
            var queued = await probe.QueuedMessagesAsync(cancellationToken);
            emptyLooks = queued == 0 ? emptyLooks + 1 : 0;
            if (emptyLooks == 2 || DateTimeOffset.UtcNow >= deadline)
            {
                return queued;
            }
        }
    }

    /// <summary>
    /// The engine's requests per second from <see cref="AfterBurstDelay"/> after the last close, over
    /// <see cref="AfterBurstWindow"/> (after the drain, so the run's leftovers are not in it): what a burst still
    /// costs once it is over — late or duplicate messages, pollers still polling fast.
    /// </summary>
    private async Task<RequestCounts> CountAfterBurstAsync(DateTimeOffset lastClose, CancellationToken cancellationToken)
    {
        var wait = lastClose + AfterBurstDelay - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        var start = tally.Snapshot();
        await Task.Delay(AfterBurstWindow, cancellationToken);
        return tally.Snapshot().Since(start);
    }

    public static double PeakMemoryMiB()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
