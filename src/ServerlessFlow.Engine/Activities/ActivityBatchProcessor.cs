using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Runs the activities of one activity message that stands for a batch of a fan-out (scheduled events <c>e</c> through <c>te</c>):
/// their rows are read in one query and claimed in one transaction, one timeout check covers the claimed attempts, they run within
/// the worker's activity slots, and their outcomes are written to the workflow's inbox many per transaction with one wake-up per
/// write — instead of a read, a claim, a check, a close and a wake-up for each. Rows the batch cannot simply claim (waiting out a
/// back-off, or started by a worker that may have died) get a message of their own, handled one by one as before. The message
/// is the batch's durable record: it is acknowledged only when every claimed attempt has been recorded, retried or handed back.
/// </summary>
internal sealed class ActivityBatchProcessor(
    IWorkflowStore store,
    ActivityOutcomes outcomes,
    ActivityAttemptRunner runner,
    ActivitySlots slots,
    OutboxSender outbox,
    WorkerOptions options,
    TimeProvider time,
    ILogger<ActivityBatchProcessor> logger)
{
    /// <summary>
    /// The part of an attempt's timeout it may spend waiting here for a slot after the batch claimed it (its deadline counts from
    /// the claim): past it, the attempt is handed back to its queue unrun rather than started with little of its time left.
    /// </summary>
    private const double MaxWaitShare = 0.25;

    public async Task<TaskOutcome> HandleAsync(ActivityTaskMessage message, CancellationToken cancellationToken)
    {
        var (first, last) = (message.ScheduledEventId, message.ThroughScheduledEventId ?? message.ScheduledEventId);
        var open = (await store.ReadActivitiesAsync(message.WorkflowId, message.RunId, first, last, cancellationToken)).Where(row => row.State != ActivityState.Closed).ToList();
        var now = time.GetUtcNow();
        var ready = open.Where(row => row.State == ActivityState.Scheduled && (row.NextAttemptAt is not { } next || next <= now)).ToList();
        await SendEachAsync(open.Except(ready), cancellationToken);
        if (ready.Count == 0)
        {
            return TaskOutcome.Completed;
        }

        // Stamped now: each attempt's timeouts count from this claim, which is the lease another worker honours.
        var claimedAt = time.GetUtcNow();
        var claimed = await store.UpdateActivitiesAsync(
            ready.Select(row => row with { State = ActivityState.Started, StartedAt = claimedAt, NextAttemptAt = null, LastHeartbeatAt = null }).ToList(), cancellationToken);
        var claimedIds = claimed.Select(row => row.ScheduledEventId).ToHashSet();
        await SendEachAsync(ready.Where(row => !claimedIds.Contains(row.ScheduledEventId)), cancellationToken);
        if (claimed.Count == 0)
        {
            return TaskOutcome.Completed;
        }

        // One check for the claimed attempts, on the workflow's queue (handled even when no worker serves this one): should this
        // worker die, it expires every attempt of the batch still open at its deadline.
        var checkAt = claimed.Min(row => ActivityTimeouts.AttemptDeadline(row).At) + options.ActivityTimeoutSlack;
        var check = await outbox.SendOneAsync(QueueNames.Workflow(claimed[0].WorkflowTaskQueue), new ActivityTimeoutMessage
        {
            WorkflowId = message.WorkflowId, RunId = message.RunId,
            ScheduledEventId = claimed[0].ScheduledEventId, ThroughScheduledEventId = claimed[^1].ScheduledEventId,
        }, checkAt, cancellationToken);

        // Outcomes in hand (results, and retries to schedule) and claims handed back are written even while the worker stops (within
        // the wind-down budget): an outcome dropped at a stop runs its activity again at the deadline, and a claim kept holds its row
        // until then. Only the attempts themselves see the stop at once.
        using var windDown = new WindDown(cancellationToken);
        var reporter = new BatchReporter(outcomes, logger, windDown.Token);
        var queue = new Queue<ActivityTaskRecord>(claimed);
        var failed = new List<(ActivityTaskRecord Row, Exception Error)>();

        // The message's own slot runs one lane; every slot that is free now, or frees while claimed rows wait, runs another (given
        // back when the batch runs dry) — a lane held up by a long attempt must not hold the rest of the batch behind it.
        var handedBack = 0;
        using var recruiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lane = new BatchLane(queue, row => RunOneAsync(row, reporter, cancellationToken, windDown.Token), slots, logger, failed, recruiting, cancellationToken);
        var lanes = new List<Task> { lane.RunAsync(ownsSlot: false) };
        try
        {
            // The recruiter ends once the queue is empty or the worker stops; no lane starts after it.
            await lane.RecruitAsync(lanes);
            await Task.WhenAll(BatchLane.Snapshot(lanes));
        }
        finally
        {
            // Claimed rows no lane ran (the worker is stopping) or whose handling failed go back to "scheduled" now, for the batch
            // message's next delivery, instead of staying started until their deadline. Outcomes already in hand are recorded
            // even when a lane failed: they are real results.
            var unrun = Drain(queue);
            handedBack = unrun.Count;
            await UnclaimAsync([.. unrun, .. failed.Select(f => f.Row)], windDown.Token);
            await reporter.CompleteAsync();
        }

        if (handedBack > 0)
        {
            // The lanes stopped early because the worker is stopping: the message (and its timeout check) must stay, or the rows
            // handed back would wait for a dispatch that never comes.
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (failed.Count > 0)
        {
            // Handed back, not done: the message comes back (counted as a failed delivery) and claims them again.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed[0].Error);
        }

        // Every claimed attempt is recorded, retried or handed back: the check has nothing left to do.
        await outbox.WithdrawAsync(check, message.WorkflowId, cancellationToken);
        return TaskOutcome.Completed;
    }

    /// <summary>Runs one claimed row: the attempt stops with the worker (<paramref name="workerStopping"/>), what it leads to is written on <paramref name="windingDown"/>.</summary>
    private async Task RunOneAsync(ActivityTaskRecord row, BatchReporter reporter, CancellationToken workerStopping, CancellationToken windingDown)
    {
        if (time.GetUtcNow() - row.StartedAt!.Value > (ActivityTimeouts.AttemptDeadline(row).At - row.StartedAt.Value) * MaxWaitShare)
        {
            await HandBackAsync(row, windingDown);
            return;
        }

        switch (await runner.RunAsync(row, CancellationToken.None, workerStopping))
        {
            case AttemptResult.Completed completed:
                Log.ActivityCompleted(logger, row.WorkflowId, row.ActivityName, row.ScheduledEventId, row.Attempt);
                reporter.Add(completed.Row, new ActivityCompleted { ScheduledEventId = row.ScheduledEventId, Result = completed.Result, Attempt = row.Attempt });
                break;
            case AttemptResult.Failed failed when outcomes.NextAttempt(failed.Row, failed.Failure, failed.RequestedDelay) is { } next:
                await outcomes.ScheduleRetryAsync(next, windingDown);
                break;
            case AttemptResult.Failed failed:
                reporter.Add(failed.Row, new ActivityFailed { ScheduledEventId = row.ScheduledEventId, Failure = failed.Failure, Attempt = row.Attempt });
                break;
        }
    }

    private static List<ActivityTaskRecord> Drain(Queue<ActivityTaskRecord> queue)
    {
        lock (queue)
        {
            var left = queue.ToList();
            queue.Clear();
            return left;
        }
    }

    /// <summary>
    /// Gives claimed attempts back (scheduled again, as before the claim) in as few writes as the store allows. A row that changed
    /// meanwhile (expired by a timeout check, taken over, cancelled) is left as it is; the others are given back all the same. Best
    /// effort: a write that fails leaves its rows started, and their timeout check takes them over at their deadline.
    /// </summary>
    private async Task UnclaimAsync(IReadOnlyList<ActivityTaskRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            var unclaimed = rows.Select(row => row with { State = ActivityState.Scheduled, StartedAt = null }).ToList();
            var written = (await store.UpdateActivitiesAsync(unclaimed, cancellationToken)).Select(row => row.ScheduledEventId).ToHashSet();
            var count = written.Count;

            // A write that met a changed row wrote none of its rows: those are given back one by one, and only the changed ones fail.
            foreach (var row in unclaimed.Where(row => !written.Contains(row.ScheduledEventId)))
            {
                count += await store.UpdateActivityAsync(row, cancellationToken) is null ? 0 : 1;
            }

            if (count > 0)
            {
                Log.BatchAttemptsUnclaimed(logger, rows[0].WorkflowId, count);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.HandlerFailed(logger, rows[0].WorkflowId, "batch hand-back", QueueNames.Activity(rows[0].TaskQueue), e);
        }
    }

    /// <summary>An attempt claimed but not started in time goes back to its queue as a scheduled activity with a message of its own.</summary>
    private async Task HandBackAsync(ActivityTaskRecord row, CancellationToken cancellationToken)
    {
        Log.BatchAttemptHandedBack(logger, row.WorkflowId, row.ScheduledEventId);
        if (await store.UpdateActivityAsync(row with { State = ActivityState.Scheduled, StartedAt = null }, cancellationToken) is { } released)
        {
            await SendEachAsync([released], cancellationToken);
        }
    }

    /// <summary>
    /// A message of its own for each row the batch does not run: the one-activity path waits out its back-off or takes it over from
    /// a worker gone past its deadline. Sent before the batch message is acknowledged, which covers them until then.
    /// </summary>
    private async Task SendEachAsync(IEnumerable<ActivityTaskRecord> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            var single = new ActivityTaskMessage { WorkflowId = row.WorkflowId, RunId = row.RunId, ScheduledEventId = row.ScheduledEventId, Attempt = row.Attempt };
            await outbox.SendOneAsync(QueueNames.Activity(row.TaskQueue), single, null, cancellationToken);
        }
    }
}
