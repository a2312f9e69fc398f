using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Diagnostics;
using ServerlessFlow.Engine.Execution;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Runs workflow tasks: load the instance and its inbox, advance the (cached or replayed) execution
/// with the inbox events and due timers, and commit everything as one fenced write. Idempotent: a
/// message about work already done finds nothing to do and is acknowledged.
/// </summary>
/// <remarks>
/// This file drives a task round by round; <see cref="WorkflowRunLoader"/> loads the run, <see cref="EagerActivityChooser"/>
/// picks the activities run at once, <see cref="HistoryLimits"/> and <see cref="RunCloser"/> shape and follow up a closing
/// commit, and WorkflowTaskProcessor.EagerStart.cs runs a new run's first task.
/// </remarks>
internal sealed partial class WorkflowTaskProcessor(
    IWorkflowStore store,
    OutboxSender outbox,
    WorkflowCache cache,
    WorkflowRunLoader loader,
    WorkInProgress inProgress,
    CompletionNotifier notifier,
    EagerActivities eager,
    EagerActivityChooser eagerChoice,
    LocalActivityRunner localActivities,
    RunCloser closer,
    HistoryLimits historyLimits,
    WorkflowTaskSlots slots,
    EagerRuns eagerRuns,
    InProcessTimers timers,
    WorkerOptions options,
    TimeProvider time,
    ILogger<WorkflowTaskProcessor> logger)
{
    /// <summary>Inbox rows applied in one commit at most: keeps the commit inside one 100-operation batch with room for history and activity rows.</summary>
    public const int MaxInboxPerTask = 40;

    /// <summary>Commit attempts in one delivery before the message is released to be retried later.</summary>
    private const int MaxRounds = 8;

    private enum Round
    {
        Done,
        Again,
    }

    public async Task<TaskOutcome> HandleAsync(WorkflowTaskMessage message, long deliveryCount, CancellationToken cancellationToken)
    {
        // A wake-up for a workflow this process is already working on is folded into that work: the
        // owner loads again before it stops, and sees every inbox row written before this message was
        // sent. Timer wake-ups are not folded, since an early one must be re-armed by whoever takes it.
        var owns = message.TimerAt is null;
        if (owns && !inProgress.TryEnter(message.WorkflowId))
        {
            return TaskOutcome.Completed;
        }

        var session = new WorkflowTaskSession(message.WorkflowId, owns, time.GetUtcNow() + options.EagerExecutionBudget);
        try
        {
            return await DriveAsync(message, session, cancellationToken)
                ? TaskOutcome.Completed
                : TaskOutcome.RetryAfter(TimeSpan.FromMilliseconds(Random.Shared.Next(50, 500)));
        }
        catch (Exception e) when (e is NonDeterminismException or WorkflowTaskFailureException or Codec.PayloadCodecException)
        {
            Log.TaskFailed(logger, message.WorkflowId, e.Message, null);
            await RecordFailureAsync(message.WorkflowId, e.Message, cancellationToken);

            // The retry count travels in the message: on Functions a retry is a fresh copy whose dequeue count starts again.
            return Worker.Redelivery.AfterWorkflowTaskFailure(message, deliveryCount);
        }
        catch (StoreException e) when (IsRefusal(e) && message.Failures is >= 1)
        {
            // Storage refused the task's write again (400 InvalidInput, a size limit, inbox rows it cannot delete …): the same
            // write fails on every retry. Shown on describe as the task failure — from the second failed delivery, so a one-off
            // that a retry resolves adds no write to a busy instance — and thrown on, so the delivery counts toward
            // dead-lettering (TaskHandler) instead of looping unseen.
            Log.TaskFailed(logger, message.WorkflowId, e.Message, e);
            await RecordFailureAsync(message.WorkflowId, $"Storage refused the workflow task's commit: {e.Message}", cancellationToken);
            throw;
        }
        finally
        {
            End(session);
        }
    }

    /// <summary>Runs rounds, and keeps driving the workflow while eager activities run; false when commits kept losing races.</summary>
    private async Task<bool> DriveAsync(WorkflowTaskMessage message, WorkflowTaskSession session, CancellationToken cancellationToken)
    {
        var firstRound = true;
        while (true)
        {
            if (!await RunRoundsAsync(message, session, firstRound, cancellationToken))
            {
                return false;
            }

            firstRound = false;
            if (session.HasWork(time.GetUtcNow()))
            {
                // Drive the workflow on: the next step is committed as soon as an eager activity ends or the timer waited for
                // fires (or a wake-up comes). The message stays held (its lease covers the wait), but not the worker's workflow-task slot.
                TaskSlot.Held?.Release();
                await session.WaitAsync(inProgress.WokenAsync(message.WorkflowId), time, cancellationToken);
                continue;
            }

            if (!session.Owns || !inProgress.ContinueOrLeave(message.WorkflowId))
            {
                session.Owns = false;
                return true;
            }

            session.Fresh = null; // Woken meanwhile: what woke it is only seen by a load.
        }
    }

    /// <summary>Ends a task: attempts still running (past the budget, or the task failed) report through the inbox like any producer.</summary>
    private void End(WorkflowTaskSession session)
    {
        foreach (var attempt in session.Running)
        {
            _ = eager.HandOverAsync(attempt, CancellationToken.None);
        }

        session.Running.Clear();
        if (session.Owns)
        {
            inProgress.Leave(session.WorkflowId);
            session.Owns = false;
        }
    }

    /// <summary>A 4xx answer that retrying cannot change: not a timeout (408) or throttling (429), which the SDK retries.</summary>
    private static bool IsRefusal(StoreException e) => e.Status is >= 400 and < 500 and not (408 or 429);

    /// <summary>Runs rounds until nothing is left to do; false when commits kept losing races.</summary>
    private async Task<bool> RunRoundsAsync(WorkflowTaskMessage message, WorkflowTaskSession session, bool firstCall, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            if (await RunRoundAsync(message, session, firstRound: firstCall && round == 0, cancellationToken) == Round.Done)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<Round> RunRoundAsync(WorkflowTaskMessage message, WorkflowTaskSession session, bool firstRound, CancellationToken cancellationToken)
    {
        session.TimerAt = null;
        var cached = cache.Take(message.WorkflowId);
        var snapshot = await loader.SnapshotAsync(session, cached, cancellationToken);
        if (snapshot is null)
        {
            Log.UnknownWorkflow(logger, message.WorkflowId);
            return Round.Done;
        }

        var instance = snapshot.Instance;
        if (firstRound)
        {
            // Once per message, whatever else this task does: an early leg of a long timer must send its next leg.
            await RearmEarlyTimerAsync(message, instance, time.GetUtcNow(), cancellationToken);
        }

        // Clearing the flag changes the instance's ETag: send, then load again rather than lose the next commit's race to ourselves.
        // If only the index write failed the flag stays (and the ETag with it): go on, the next commit carries the write.
        if (instance.OutboxPending && await outbox.SendAsync(instance, cancellationToken))
        {
            if (cached is not null)
            {
                cache.Put(message.WorkflowId, cached);
            }

            return Round.Again;
        }

        // Eager attempts of a run that closed (or was replaced by a new run) are not wanted any more: their rows went with the close.
        foreach (var orphan in session.Running.Where(a => a.Row.RunId != instance.RunId || instance.Status != WorkflowStatus.Running).ToList())
        {
            await orphan.Cancel.CancelAsync();
            session.Running.Remove(orphan);
        }

        if (instance.Status == WorkflowStatus.ContinuedAsNew)
        {
            return await closer.StartContinuedRunAsync(instance, cancellationToken) ? Round.Again : Round.Done;
        }

        if (instance.Status != WorkflowStatus.Running)
        {
            return await closer.DiscardInboxOfClosedRunAsync(snapshot, cancellationToken) ? Round.Again : Round.Done;
        }

        if (instance.Suspension is not null)
        {
            // Suspended: no code runs and nothing new is scheduled; inbox rows and due timers wait for the resume, whose commit wakes the workflow.
            if (cached is not null)
            {
                cache.Put(message.WorkflowId, cached);
            }

            return Round.Done;
        }

        if (instance.FirstTaskDueAt is { } dueAt && dueAt > time.GetUtcNow())
        {
            // A delayed start not yet due: no code runs, and what arrived waits in the inbox. The start's delayed wake-up begins the run.
            if (cached is not null)
            {
                cache.Put(message.WorkflowId, cached);
            }

            return Round.Done;
        }

        var execution = await loader.PrepareAsync(cached, snapshot, cancellationToken);
        var now = time.GetUtcNow();
        var waiting = snapshot.Inbox.Where(i => i.RunId == instance.RunId).OrderBy(i => i.CreatedAt).ToList();
        var current = waiting.Take(MaxInboxPerTask).ToList();
        var delivered = session.WholeInbox ? waiting : current;
        var stale = snapshot.Inbox.Where(i => i.RunId != instance.RunId).Take(MaxInboxPerTask - current.Count).ToList();
        var due = instance.Timers.Where(t => t.FireAt <= now).OrderBy(t => t.FireAt).ThenBy(t => t.StartedEventId).ToList();
        var ended = session.Running.Where(a => a.Outcome.IsCompleted).ToList();
        if (!execution.HasUnrunStart && current.Count == 0 && due.Count == 0 && stale.Count == 0 && ended.Count == 0)
        {
            cache.Put(message.WorkflowId, execution);
            session.TimerAt = timers.WaitFor(session, instance);
            return Round.Done;
        }

        using var telemetry = WorkflowTaskTelemetry.Start(instance);
        var fromInbox = delivered.Select(i => i.Event).Where(execution.Accepts).ToList();
        var reported = fromInbox.Select(ActivityOf).OfType<long>().ToHashSet();
        var inbound = fromInbox
            .Concat(ended.Select(OutcomeOf).OfType<HistoryEvent>().Where(e => !reported.Contains(ActivityOf(e)!.Value) && execution.Accepts(e)))
            .Concat(due.Select(t => (HistoryEvent)new TimerFired { StartedEventId = t.StartedEventId }))
            .ToList();
        var newEvents = inbound.Count > 0 || execution.HasUnrunStart ? await localActivities.RunTaskAsync(execution, inbound, now, cancellationToken) : [];
        var built = RunCloser.FencedIfClosing(historyLimits.Enforce(InstanceTransition.Build(instance, newEvents, current.Concat(stale).Select(i => i.Key).ToList(), now), instance, now));
        if (built.Instance.Status != WorkflowStatus.Running && delivered.Count < waiting.Count)
        {
            // The code closed the run having seen only part of its inbox: the rest would be discarded with the closed run's inbox.
            // Refused like a lost race (the execution is dropped), and run again on the whole inbox. Rows one commit cannot delete stay
            // behind: a closed run discards them, an open one is handed them again and drops them as duplicates (Accepts).
            session.WholeInbox = true;
            session.Fresh = null;
            telemetry.Conflict();
            return Round.Again;
        }

        var (eagerCommit, chosen) = await eagerChoice.ChooseAsync(built, session, now, cancellationToken);
        var commit = RunCloser.IndexLeftToCheck(await timers.SendAheadAsync(eagerCommit, session, cancellationToken), time.GetUtcNow());
        var committed = await store.CommitAsync(commit, cancellationToken);
        if (committed is null)
        {
            chosen.ForEach(_ => eager.ReleaseSlot());
            session.Fresh = null;
            telemetry.Conflict();
            Log.CommitConflict(logger, message.WorkflowId);
            return Round.Again;
        }

        telemetry.Committed(committed, newEvents.Count);
        if (newEvents.Count > 0)
        {
            Log.Committed(logger, message.WorkflowId, newEvents[0].EventId, newEvents[^1].EventId);
        }

        // Recorded (or no longer wanted); an activity whose row this commit deleted without recording it was dropped by the workflow.
        session.Running.RemoveAll(a => ended.Contains(a));
        foreach (var dropped in session.Running.Where(a => commit.DeletedActivities.Contains(a.Row.ScheduledEventId)).ToList())
        {
            await dropped.Cancel.CancelAsync();
            session.Running.Remove(dropped);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // The worker stopped while this commit was made: attempts it committed as started would be abandoned before they began and
            // wait for the activity check at their deadline. They go back to their queue now instead.
            await eager.HandBackAsync(chosen, cancellationToken);
        }
        else
        {
            session.Running.AddRange(chosen.Select(row => eager.Start(row, cancellationToken)));
        }
        // Inbox rows left for the next round (more than one commit takes) are only seen by a load.
        var consumedAll = snapshot.Inbox.Count == current.Count + stale.Count;
        session.Fresh = consumedAll && committed is { Status: WorkflowStatus.Running, OutboxPending: false } ? committed : null;
        if (committed.Status == WorkflowStatus.Running)
        {
            cache.Put(message.WorkflowId, execution);
        }

        notifier.Committed(committed, execution.Started, commit.NewEvents);
        if (committed.Status == WorkflowStatus.Running)
        {
            await outbox.SendAsync(committed, cancellationToken);
        }
        else
        {
            await closer.FinishCloseAsync(committed, cancellationToken);
        }

        await timers.WithdrawFiredAsync(committed, session, cancellationToken);
        session.TimerAt = timers.WaitFor(session, committed);
        return consumedAll ? Round.Done : Round.Again;
    }

    private static HistoryEvent? OutcomeOf(EagerAttempt attempt) => attempt.Outcome.IsCompletedSuccessfully ? attempt.Outcome.Result : null;

    private static long? ActivityOf(HistoryEvent e) => e switch
    {
        ActivityCompleted completed => completed.ScheduledEventId,
        ActivityFailed failed => failed.ScheduledEventId,
        _ => null,
    };

    /// <summary>
    /// A timer wake-up (or a delayed start's) capped at the queue's delay limit, or rounded down by it, arrives before it is due:
    /// send the next leg.
    /// </summary>
    private async Task RearmEarlyTimerAsync(WorkflowTaskMessage message, InstanceRecord instance, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (message.TimerAt is { } at && at > now && message.RunId == instance.RunId
            && (instance.Timers.Any(t => t.FireAt == at) || instance.FirstTaskDueAt == at))
        {
            // Queues count delays in whole seconds, rounding down: a leg delayed by the exact remainder would come early again (at
            // once when less than a second is left) and be re-armed over and over. Rounded up, it comes on time or within a second.
            var leg = TimeSpan.FromSeconds(Math.Ceiling((at - now).TotalSeconds));
            await outbox.SendOneAsync(QueueNames.Workflow(instance.TaskQueue), message, now + leg, cancellationToken);
        }
    }

    private async Task RecordFailureAsync(string workflowId, string failure, CancellationToken cancellationToken)
    {
        if (await store.ReadInstanceAsync(workflowId, cancellationToken) is { ETag: { } etag })
        {
            await store.RecordTaskFailureAsync(workflowId, etag, failure, cancellationToken);
        }
    }
}
