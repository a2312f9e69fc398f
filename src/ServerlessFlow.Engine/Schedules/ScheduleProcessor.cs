using System.Globalization;
using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Client;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Engine.Schedules;

/// <summary>
/// Runs a schedule's passes: takes the actions that came due (spec times, triggers, backfills) under the
/// overlap and catch-up policies, notices closed runs, and arms a delayed queue message for the next time.
/// A pass is safe to run twice or concurrently: the schedule row is written under its ETag, and each
/// action's workflow ID is made of the schedule ID and the nominal time, so no time ever starts two runs.
/// </summary>
internal sealed class ScheduleProcessor(
    IScheduleStore schedules, IWorkflowStore store, WorkflowClient client, OutboxSender outbox, TimeProvider time, ILogger<ScheduleProcessor> logger)
{
    /// <summary>Actions one pass takes at most; the rest are taken by an immediate next pass.</summary>
    public const int MaxActionsPerPass = 100;

    /// <summary>Recent actions kept for describe.</summary>
    public const int MaxRecentActions = 10;

    /// <summary>Longest wait before a schedule with buffered actions looks at its open runs again, should a close notification be lost.</summary>
    private static readonly TimeSpan BufferedRecheck = TimeSpan.FromMinutes(1);

    /// <summary>The workflow ID of the action at <paramref name="nominal"/>: "{scheduleId}-{yyyy-MM-ddTHH:mm:ssZ}".</summary>
    public static string WorkflowIdFor(string scheduleId, DateTimeOffset nominal) =>
        scheduleId + "-" + nominal.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Handles a <see cref="ScheduleMessage"/>: a wake-up or a close notification. An early wake-up (delays are capped at the queue's limit) arms the next leg.</summary>
    public async Task<TaskOutcome> HandleAsync(ScheduleMessage message, CancellationToken cancellationToken)
    {
        // Off the caller's thread first, which may be the queue's poller: on the in-memory backend every call completes at once, and
        // a backfill's passes, each sending the next, would run there one after another, keeping the thread from the other messages
        // received with them (another schedule's wake-up) until the backfill ended.
        await Task.Yield();
        var early = message.WakeAt is { } wakeAt && wakeAt > time.GetUtcNow();
        await RunPassAsync(message.ScheduleId, rearm: early, message.WakeAt, cancellationToken);
        return TaskOutcome.Completed;
    }

    /// <summary>Runs one pass of the schedule; nothing happens if it does not exist.</summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="rearm">Send the wake-up message even if one was sent for the same time (that one arrived early).</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>The schedule as the pass stored it; null if it does not exist, or other writers won every round.</returns>
    public Task<ScheduleRecord?> RunPassAsync(string scheduleId, bool rearm, CancellationToken cancellationToken) =>
        RunPassAsync(scheduleId, rearm, handledWake: null, cancellationToken);

    /// <summary>Runs one pass of the schedule for the wake-up message armed for <paramref name="handledWake"/> (null when no message is handled).</summary>
    private async Task<ScheduleRecord?> RunPassAsync(string scheduleId, bool rearm, DateTimeOffset? handledWake, CancellationToken cancellationToken)
    {
        // Runs started by a round whose write then lost the fence are still this schedule's: the next round tracks them.
        var startedHere = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            if (await schedules.ReadScheduleAsync(scheduleId, cancellationToken) is not { } record)
            {
                return null;
            }

            var state = ScheduleState.Parse(record);
            var spec = ScheduleSpecEvaluator.Create(state.Definition.Spec);
            var now = time.GetUtcNow();
            var next = await PassAsync(scheduleId, spec, state with { Running = [.. state.Running.Union(startedHere)] }, now, startedHere, cancellationToken);
            var nextWake = NextWake(scheduleId, spec, next, now);
            // The wake-up handled here has left the queue: when it is the one armed, the next is sent even for the same time. A pass
            // that leaves backfill work wakes the schedule "now", and the clock need not have moved since the pass that armed it (a
            // fake clock stands still): deduplicated, that wake-up was never sent, and the backfill stopped until the clock moved.
            var consumed = handledWake is { } handled && handled == state.ArmedFor;
            var armed = nextWake is { } wake && (rearm || consumed || next.ArmedFor != wake);
            if (armed)
            {
                // Sent before the row records it, so a crash in between leaves a duplicate wake-up (harmless), never none.
                // Queues count delays in whole seconds, rounding down: one second more keeps the wake-up from arriving early.
                var taskQueue = QueueNames.Validate(next.Definition.Action.TaskQueue);
                var message = new ScheduleMessage { ScheduleId = scheduleId, WakeAt = nextWake };
                await outbox.SendOneAsync(QueueNames.Workflow(taskQueue), message, nextWake > now ? nextWake + TimeSpan.FromSeconds(1) : null, cancellationToken);
                next = next with { ArmedFor = nextWake };
            }

            if (await schedules.WriteScheduleAsync(record with { StateJson = next.ToJson(), NextWakeAt = nextWake }, cancellationToken) is { } written)
            {
                return written;
            }
        }

        return null;
    }

    /// <summary>The next time the schedule needs a pass: at once if work is left, the next action time, or a recheck of open runs while actions wait.</summary>
    private static DateTimeOffset? NextWake(string scheduleId, ScheduleSpecEvaluator spec, ScheduleState state, DateTimeOffset now)
    {
        if (state.Backfills.Count > 0 || (state.Buffer.Count > 0 && state.Running.Count == 0))
        {
            return now;
        }

        DateTimeOffset? next = null;
        if (!state.Paused && spec.NextNominal(state.Watermark) is { } nominal)
        {
            next = spec.ActualTime(scheduleId, nominal);
        }

        if (state.Buffer.Count > 0 && (next is null || next > now + BufferedRecheck))
        {
            next = now + BufferedRecheck;
        }

        return next;
    }

    private async Task<ScheduleState> PassAsync(
        string scheduleId, ScheduleSpecEvaluator spec, ScheduleState state, DateTimeOffset now, List<string> startedHere, CancellationToken cancellationToken)
    {
        var running = await StillOpenAsync(state.Running, cancellationToken);
        var buffer = state.Buffer;
        var watermark = state.Watermark;
        var missed = 0L;
        var dropped = 0L;
        var budget = MaxActionsPerPass;

        void Buffer(DateTimeOffset nominal, ScheduleOverlapPolicy overlap, bool manual)
        {
            (buffer, var wasDropped) = ScheduleBuffer.Add(buffer, new BufferedAction(nominal, overlap, manual));
            dropped += wasDropped ? 1 : 0;
            budget--;
        }

        if (!state.Paused)
        {
            while (budget > 0 && spec.NextNominal(watermark) is { } nominal && spec.ActualTime(scheduleId, nominal) is var actual && actual <= now)
            {
                if (now - actual > state.Definition.Policies.CatchupWindow)
                {
                    missed++;
                }
                else
                {
                    Buffer(nominal, state.Definition.Policies.Overlap, manual: false);
                }

                watermark = nominal;
            }
        }

        var backfills = new List<BackfillRange>();
        foreach (var range in state.Backfills)
        {
            var after = range.After;
            while (budget > 0 && spec.NextNominal(after) is { } nominal && nominal < range.End)
            {
                Buffer(nominal, range.Overlap, manual: true);
                after = nominal;
            }

            if (budget == 0 && spec.NextNominal(after) is { } left && left < range.End)
            {
                backfills.Add(range with { After = after });
            }
        }

        // While paused only manual actions (trigger, backfill) are taken; scheduled ones that were waiting keep waiting.
        var held = state.Paused ? buffer.Where(b => !b.Manual).ToList() : [];
        var resolution = ScheduleBuffer.Resolve(state.Paused ? buffer.Where(b => b.Manual).ToList() : buffer, running);
        var open = running.ToList();
        foreach (var workflowId in resolution.Terminate)
        {
            // A run between continue-as-new's two commits cannot be terminated yet: it stays tracked and is terminated next pass.
            if (await client.TerminateWorkflowAsync(workflowId, $"Terminated by schedule '{scheduleId}' (overlap policy TerminateOther).", cancellationToken)
                || (await store.ReadInstanceAsync(workflowId, cancellationToken))?.Status is not (WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew))
            {
                open.Remove(workflowId);
            }
        }

        foreach (var workflowId in resolution.Cancel)
        {
            await client.CancelWorkflowAsync(workflowId, $"Canceled by schedule '{scheduleId}' (overlap policy CancelOther).", cancellationToken);
        }

        var recent = state.RecentActions.ToList();
        var taken = 0;
        foreach (var action in resolution.Start)
        {
            var (handle, started) = await StartAsync(scheduleId, state.Definition.Action, action.Nominal, state.Running, cancellationToken);
            if (handle is not null)
            {
                open.Add(handle.Id);
            }

            if (started)
            {
                taken++;
                startedHere.Add(handle!.Id);
                recent.Add(new ScheduleActionResult(action.Nominal, now, handle!.Id, handle.RunId));
            }
        }

        return state with
        {
            Watermark = watermark,
            Buffer = [.. held, .. resolution.Waiting],
            Backfills = backfills,
            Running = open.Distinct().ToList(),
            RecentActions = recent.TakeLast(MaxRecentActions).ToList(),
            ActionCount = state.ActionCount + taken,
            MissedCatchupWindow = state.MissedCatchupWindow + missed,
            OverlapSkipped = state.OverlapSkipped + resolution.Skipped + dropped,
        };
    }

    /// <summary>
    /// Starts the action's workflow for <paramref name="nominal"/>. A run for that time that exists already (another pass, an
    /// earlier backfill) is never started again: its handle is returned while it is open, null once it has closed.
    /// </summary>
    /// <remarks>
    /// An open run the schedule does not track yet was started for this time by a pass that raced this one (or died before
    /// writing the row): it counts as this pass's action, so that whichever pass writes the row counts it once.
    /// </remarks>
    private async Task<(WorkflowHandle? Handle, bool Started)> StartAsync(
        string scheduleId, ScheduleAction action, DateTimeOffset nominal, IReadOnlyList<string> tracked, CancellationToken cancellationToken)
    {
        var workflowId = WorkflowIdFor(scheduleId, nominal);
        if (await store.ReadInstanceAsync(workflowId, cancellationToken) is { } existing)
        {
            var open = existing.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew;
            return open ? (new WorkflowHandle(workflowId, existing.RunId), !tracked.Contains(workflowId)) : (null, false);
        }

        var attributes = new Dictionary<string, object?>(action.SearchAttributes ?? new Dictionary<string, object?>(), StringComparer.Ordinal)
        {
            [BuiltInSearchAttributes.ScheduledById] = scheduleId,
            [BuiltInSearchAttributes.ScheduledStartTime] = nominal,
        };
        var options = new StartWorkflowOptions
        {
            Id = workflowId, TaskQueue = action.TaskQueue, IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate, IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
            Memo = action.Memo, SearchAttributes = attributes,
        };
        try
        {
            var handle = await client.StartWorkflowAsync(
                action.WorkflowType, action.Input, options, new ScheduleLink(scheduleId, QueueNames.Validate(action.TaskQueue)), cancellationToken);
            Log.ScheduleStarted(logger, scheduleId, workflowId);
            return (handle, true);
        }
        catch (ServerlessFlowException e) when (e is UnknownWorkflowTypeException or InvalidWorkflowRequestException)
        {
            // Either another pass started it and it closed in between (RejectDuplicate refused a second run, as it should),
            // or the action is wrong for this deployment (its type is gone, its input breaks a rule): the time is used up either way.
            Log.ScheduleStartFailed(logger, scheduleId, workflowId, e.Message);
            return (null, false);
        }
    }

    private async Task<List<string>> StillOpenAsync(IReadOnlyList<string> workflowIds, CancellationToken cancellationToken)
    {
        var open = new List<string>();
        foreach (var workflowId in workflowIds)
        {
            if (await store.ReadInstanceAsync(workflowId, cancellationToken) is { Status: WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew })
            {
                open.Add(workflowId);
            }
        }

        return open;
    }
}
