using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Retention;
using ServerlessFlow.Engine.Schedules;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// The periodic housekeeping every host runs (the dev server's worker on its sweep timer, the Function App on
/// its timer trigger): the recovery sweep, the backstop of schedules whose wake-up was lost, and — at most once per
/// <see cref="RetentionInterval"/> per process — a retention batch, which chains further batches while it makes progress.
/// One failing step or schedule does not keep the others from running.
/// </summary>
public sealed class HousekeepingPass
{
    /// <summary>Schedules the backstop runs per pass at most.</summary>
    public const int MaxSchedulesPerPass = 100;

    /// <summary>Shortest interval between two retention batches this process starts itself.</summary>
    public static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(1);

    private readonly RecoverySweeper sweeper;
    private readonly IScheduleStore schedules;
    private readonly ScheduleProcessor scheduleProcessor;
    private readonly RetentionProcessor retention;
    private readonly WorkerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<HousekeepingPass> logger;
    private DateTimeOffset lastRetention = DateTimeOffset.MinValue;

    internal HousekeepingPass(
        RecoverySweeper sweeper, IScheduleStore schedules, ScheduleProcessor scheduleProcessor, RetentionProcessor retention, WorkerOptions options, TimeProvider time,
        ILogger<HousekeepingPass> logger)
    {
        this.logger = logger;
        this.sweeper = sweeper;
        this.schedules = schedules;
        this.scheduleProcessor = scheduleProcessor;
        this.retention = retention;
        this.options = options;
        this.time = time;
    }

    /// <summary>Runs one pass.</summary>
    public async Task<HousekeepingResult> RunAsync(CancellationToken cancellationToken)
    {
        var woken = await StepAsync("recovery sweep", () => sweeper.SweepAsync(cancellationToken));

        // A schedule overdue by more than the stall threshold lost its wake-up message (or its worker died mid-pass).
        var overdue = await StepAsync("schedule backstop", () => schedules.FindDueSchedulesAsync(time.GetUtcNow() - options.StallThreshold, MaxSchedulesPerPass, cancellationToken)) ?? [];
        foreach (var scheduleId in overdue)
        {
            await StepAsync("schedule " + scheduleId, async () =>
            {
                await scheduleProcessor.RunPassAsync(scheduleId, rearm: true, cancellationToken);
                return true;
            });
        }

        var purged = 0;
        if (time.GetUtcNow() - lastRetention >= RetentionInterval)
        {
            lastRetention = time.GetUtcNow();
            purged = await StepAsync("retention", () => retention.RunBatchAsync(cancellationToken));
        }

        return new HousekeepingResult(woken, overdue.Count, purged);
    }

    private async Task<T?> StepAsync<T>(string step, Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Runtime.Log.HousekeepingStepFailed(logger, step, e);
            return default;
        }
    }
}

/// <summary>What one housekeeping pass did.</summary>
/// <param name="WorkflowsWoken">Stalled workflows woken by the recovery sweep.</param>
/// <param name="SchedulesRun">Overdue schedules given a pass.</param>
/// <param name="WorkflowsPurged">Workflows deleted by retention.</param>
public sealed record HousekeepingResult(int WorkflowsWoken, int SchedulesRun, int WorkflowsPurged);
