using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Activities;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Runs activities eagerly: in the process whose workflow task scheduled them, without a queue message or a claim.
/// The commit that schedules such an activity writes its row already started (the lease: the attempt's deadline follows
/// from its start time and timeouts), and the per-workflow <see cref="ActivityCheckMessage"/> takes the attempt
/// over if this process dies. The outcome becomes an event the workflow task records with its next step; a retry goes
/// through the activity queue like any other.
/// </summary>
internal sealed class EagerActivities(
    ActivitySlots slots, ActivityAttemptRunner runner, ActivityOutcomes outcomes, IWorkflowStore store, WorkflowRegistry registry, WorkerOptions options,
    ILogger<EagerActivities> logger)
{
    /// <summary>True when this process may run <paramref name="row"/>: it serves the activity's task queue and knows the activity.</summary>
    public bool CanRun(ActivityTaskRecord row) =>
        options.TaskQueues.Contains(row.TaskQueue, StringComparer.Ordinal) && registry.FindActivity(row.ActivityName) is not null;

    /// <summary>Takes an activity slot if one is free; give it back with <see cref="ReleaseSlot"/> if the attempt is not started.</summary>
    public bool TryTakeSlot() => slots.TryTake();

    /// <summary>Gives back a slot taken for an attempt that was not started (its commit lost a race).</summary>
    public void ReleaseSlot() => slots.Release();

    /// <summary>Starts the attempt whose row <paramref name="started"/> was committed (holding a slot taken by <see cref="TryTakeSlot"/>).</summary>
    public EagerAttempt Start(ActivityTaskRecord started, CancellationToken workerStopping)
    {
        var cancel = new CancellationTokenSource();
        return new EagerAttempt(started, Task.Run(() => RunAsync(started, cancel, workerStopping), CancellationToken.None), cancel);
    }

    /// <summary>
    /// Gives back attempts committed as started (holding slots taken by <see cref="TryTakeSlot"/>) that the worker, stopping, does not
    /// begin: each row goes back to scheduled with a message on its queue, so another worker runs it now instead of when the activity
    /// check expires it at its deadline. The writes run on the wind-down budget. Best effort: a row that changed meanwhile (cancelled,
    /// taken over) is left as it is, and one whose write fails stays started for the check.
    /// </summary>
    public async Task HandBackAsync(IReadOnlyList<ActivityTaskRecord> committed, CancellationToken workerStopping)
    {
        using var windDown = new WindDown(workerStopping);
        foreach (var row in committed)
        {
            try
            {
                if (await ReadIfOursAsync(row, windDown.Token) is { } current)
                {
                    await outcomes.ScheduleRetryAsync(current with { State = ActivityState.Scheduled, StartedAt = null }, windDown.Token);
                    Log.EagerHandedBack(logger, row.WorkflowId, row.ScheduledEventId);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.HandlerFailed(logger, row.WorkflowId, "eager hand-back", QueueNames.Activity(row.TaskQueue), e);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>
    /// Hands an attempt the workflow task will not record over to the inbox path: when it ends, its outcome is written to the
    /// workflow's inbox with its row closed (if the row is still this attempt's), and the workflow is woken.
    /// </summary>
    public async Task HandOverAsync(EagerAttempt attempt, CancellationToken cancellationToken)
    {
        Log.EagerHandedOver(logger, attempt.Row.WorkflowId, attempt.Row.ScheduledEventId);
        try
        {
            if (await attempt.Outcome is { } outcome && await ReadIfOursAsync(attempt.Row, cancellationToken) is { } row)
            {
                await outcomes.CloseAsync(row, outcome, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The row still says "started": the workflow's activity check expires the attempt at its deadline.
            Log.HandlerFailed(logger, attempt.Row.WorkflowId, "eager", QueueNames.Activity(attempt.Row.TaskQueue), e);
        }
        finally
        {
            attempt.Cancel.Dispose();
        }
    }

    private async Task<HistoryEvent?> RunAsync(ActivityTaskRecord row, CancellationTokenSource cancel, CancellationToken workerStopping)
    {
        // The attempt stops with the worker; the retry it leads to is written on the wind-down budget, as a batch's is: cut short by
        // the stop, the row would stay started until the activity check takes it over at its deadline.
        using var windDown = new WindDown(workerStopping);
        try
        {
            switch (await runner.RunAsync(row, cancel.Token, workerStopping))
            {
                case AttemptResult.Completed completed:
                    Log.ActivityCompleted(logger, row.WorkflowId, row.ActivityName, row.ScheduledEventId, row.Attempt);
                    return new ActivityCompleted { ScheduledEventId = row.ScheduledEventId, Result = completed.Result, Attempt = row.Attempt };
                case AttemptResult.Failed failed when outcomes.NextAttempt(failed.Row, failed.Failure, failed.RequestedDelay) is { } next:
                    if (await ReadIfOursAsync(row, windDown.Token) is { } current)
                    {
                        await outcomes.ScheduleRetryAsync(next with { ETag = current.ETag }, windDown.Token);
                    }

                    return null;
                case AttemptResult.Failed failed:
                    return new ActivityFailed { ScheduledEventId = row.ScheduledEventId, Failure = failed.Failure, Attempt = row.Attempt };
                default:
                    return null;
            }
        }
        catch (Exception e)
        {
            // Abandoned with the process, or storage failed while scheduling the retry: the row still says "started",
            // and the workflow's activity check takes the attempt over at its deadline.
            if (!workerStopping.IsCancellationRequested)
            {
                Log.HandlerFailed(logger, row.WorkflowId, "eager", QueueNames.Activity(row.TaskQueue), e);
            }

            return null;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>The stored row if it still belongs to this attempt (not taken over, cancelled or closed); null otherwise.</summary>
    private async Task<ActivityTaskRecord?> ReadIfOursAsync(ActivityTaskRecord row, CancellationToken cancellationToken) =>
        await store.ReadActivityAsync(row.WorkflowId, row.RunId, row.ScheduledEventId, cancellationToken) is { State: ActivityState.Started } current
            && current.Attempt == row.Attempt && current.StartedAt == row.StartedAt
            ? current
            : null;
}

/// <summary>An activity attempt run eagerly.</summary>
/// <param name="Row">The row as committed (started; without an ETag).</param>
/// <param name="Outcome">The event to record when it ends: completed, or failed for good; null when there is none to record (cancelled, abandoned, or retried through the queue).</param>
/// <param name="Cancel">Cancels the attempt (the workflow dropped the activity).</param>
internal sealed record EagerAttempt(ActivityTaskRecord Row, Task<HistoryEvent?> Outcome, CancellationTokenSource Cancel);
