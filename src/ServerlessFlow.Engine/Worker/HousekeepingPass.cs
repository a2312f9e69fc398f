using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Retention;
using ServerlessFlow.Engine.Schedules;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// The periodic housekeeping every host runs (the dev server's worker on its sweep timer, the Function App on
/// its timer trigger): the recovery sweep, the backstop of schedules whose wake-up was lost, and one retention batch.
/// </summary>
public sealed class HousekeepingPass
{
    /// <summary>Schedules the backstop runs per pass at most.</summary>
    public const int MaxSchedulesPerPass = 100;

    private readonly RecoverySweeper sweeper;
    private readonly IScheduleStore schedules;
    private readonly ScheduleProcessor scheduleProcessor;
    private readonly RetentionProcessor retention;
    private readonly WorkerOptions options;
    private readonly TimeProvider time;

    internal HousekeepingPass(
        RecoverySweeper sweeper, IScheduleStore schedules, ScheduleProcessor scheduleProcessor, RetentionProcessor retention, WorkerOptions options, TimeProvider time)
    {
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
        var woken = await sweeper.SweepAsync(cancellationToken);

        // A schedule overdue by more than the stall threshold lost its wake-up message (or its worker died mid-pass).
        var overdue = await schedules.FindDueSchedulesAsync(time.GetUtcNow() - options.StallThreshold, MaxSchedulesPerPass, cancellationToken);
        foreach (var scheduleId in overdue)
        {
            await scheduleProcessor.RunPassAsync(scheduleId, rearm: true, cancellationToken);
        }

        var purged = await retention.RunBatchAsync(cancellationToken);
        return new HousekeepingResult(woken, overdue.Count, purged);
    }
}

/// <summary>What one housekeeping pass did.</summary>
/// <param name="WorkflowsWoken">Stalled workflows woken by the recovery sweep.</param>
/// <param name="SchedulesRun">Overdue schedules given a pass.</param>
/// <param name="WorkflowsPurged">Workflows deleted by retention.</param>
public sealed record HousekeepingResult(int WorkflowsWoken, int SchedulesRun, int WorkflowsPurged);
