using System.Reflection;
using System.Text.Json;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Execution;

/// <summary>
/// One workflow run held in memory: its object, its suspended code, and the awaiters of its pending
/// activities and timers. <see cref="Replay"/> rebuilds it from recorded history, checking that the
/// code asks for exactly what history recorded; <see cref="RunTask"/> advances it with new events
/// and returns the events to commit.
/// </summary>
/// <remarks>
/// History is a sequence of workflow tasks, each an inbound batch (events from outside) followed by
/// the commands the code produced in response. The one exception is a history that holds only its
/// <see cref="WorkflowStarted"/> event: the client recorded the start and no workflow task has run yet,
/// so the first task runs it live.
/// </remarks>
internal sealed class WorkflowExecution : IWorkflowContext
{
    private readonly WorkflowDefinition definition;
    private readonly WorkflowScheduler scheduler;
    private readonly Queue<Command> pending = new();
    private readonly Dictionary<long, (string Name, TaskCompletionSource<JsonElement?> Awaiter)> activities = [];
    private readonly Dictionary<long, TaskCompletionSource> timers = [];
    private readonly Dictionary<long, (string ChildId, TaskCompletionSource<JsonElement?> Awaiter)> children = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource<bool> Awaiter)> conditions = [];
    private readonly List<Task> handlers = [];
    private readonly HashSet<string> recordedPatches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> patches = new(StringComparer.Ordinal);
    private readonly HashSet<long> abandoned = [];
    private readonly HashSet<string> seenRequests = new(StringComparer.Ordinal);
    private object? workflow;
    private string? cancelReason;
    private WorkflowStarted? unrunStart;
    private Task? runMethod;
    private bool closed;
    private DateTimeOffset now;

    public WorkflowExecution(WorkflowDefinition definition, string workflowId, string runId, string taskQueue)
    {
        this.definition = definition;
        scheduler = new WorkflowScheduler(this);
        Info = new WorkflowInfo(workflowId, runId, definition.Name, taskQueue);
        Random = new Random(0);
    }

    public WorkflowInfo Info { get; }

    public DateTime UtcNow => now.UtcDateTime;

    public Random Random { get; private set; }

    public bool IsReplaying { get; private set; }

    /// <summary>Events after which a workflow is told to continue as new: well before Temporal's 10,240-event warning.</summary>
    public const int SuggestContinueAsNewAfterEvents = 4_096;

    public bool IsCancellationRequested { get; private set; }

    public bool ContinueAsNewSuggested => LastEventId >= SuggestContinueAsNewAfterEvents;

    /// <summary>ID of the last event applied.</summary>
    public long LastEventId { get; private set; }

    /// <summary>True when the recorded start has not been run by a workflow task yet.</summary>
    public bool HasUnrunStart => unrunStart is not null;

    /// <summary>Replays committed history. Throws <see cref="NonDeterminismException"/> when the code disagrees with it.</summary>
    public void Replay(IReadOnlyList<HistoryEvent> events)
    {
        if (LastEventId == 0 && events is [WorkflowStarted onlyStart])
        {
            unrunStart = onlyStart;
            LastEventId = onlyStart.EventId;
            return;
        }

        IsReplaying = true;
        recordedPatches.UnionWith(events.OfType<MarkerRecorded>().Select(m => m.PatchId));
        try
        {
            var i = 0;
            while (i < events.Count)
            {
                ExpectNext(events[i]);
                if (events[i].IsCommand)
                {
                    MatchCommand(events[i++]);
                    continue;
                }

                DropUnrecordedDeprecationMarkers(null);
                if (pending.TryPeek(out var extra))
                {
                    throw NonDeterminism(events[i], $"did {extra.Describe()} before it");
                }

                var end = i;
                while (end < events.Count && !events[end].IsCommand)
                {
                    end++;
                }

                Deliver(events.Skip(i).Take(end - i));
                i = end;
            }

            DropUnrecordedDeprecationMarkers(null);
            if (pending.TryPeek(out var more))
            {
                throw new NonDeterminismException(
                    $"Workflow '{Info.WorkflowId}' ({Info.WorkflowType}): history recorded nothing after event {LastEventId}; " +
                    $"the code now did {more.Describe()}. The workflow code changed in a way that is not replay-safe: " +
                    "guard the change with Workflow.Patched(...) or deploy the previous code.");
            }
        }
        finally
        {
            IsReplaying = false;
        }
    }

    /// <summary>
    /// Runs a new workflow task: delivers <paramref name="inbound"/> (events with EventId 0, numbered here)
    /// and runs the code; returns the new events — inbound and commands — to commit, in order.
    /// </summary>
    public IReadOnlyList<HistoryEvent> RunTask(IReadOnlyList<HistoryEvent> inbound, DateTimeOffset time)
    {
        var delivered = new List<HistoryEvent>();
        if (unrunStart is { } start)
        {
            unrunStart = null;
            delivered.Add(start);
        }

        var fresh = inbound.Select(e => e with { EventId = ++LastEventId, Timestamp = time }).ToList();
        delivered.AddRange(fresh);
        now = time;
        Deliver(delivered, numbered: true);

        var result = new List<HistoryEvent>(fresh);
        while (pending.TryDequeue(out var command))
        {
            var recorded = command.ToEvent(++LastEventId, time);
            command.Bind(recorded.EventId);
            Apply(recorded);
            result.Add(recorded);
        }

        return result;
    }

    /// <summary>
    /// False for an inbound event that history already holds or that no longer has a receiver: a signal or
    /// update whose request ID was applied, a second cancellation, an outcome of work that is not pending.
    /// Producers de-duplicate through inbox keys only while a row is unconsumed; this closes the rest.
    /// </summary>
    public bool Accepts(HistoryEvent inbound) => inbound switch
    {
        WorkflowSignaled signal => !seenRequests.Contains("s-" + signal.RequestId),
        WorkflowUpdateAccepted update => !seenRequests.Contains("u-" + update.UpdateId),
        WorkflowCancelRequested => !IsCancellationRequested,
        ActivityCompleted c => activities.ContainsKey(c.ScheduledEventId) || abandoned.Contains(c.ScheduledEventId),
        ActivityFailed f => activities.ContainsKey(f.ScheduledEventId) || abandoned.Contains(f.ScheduledEventId),
        ChildWorkflowCompleted c => children.ContainsKey(c.ScheduledEventId) || abandoned.Contains(c.ScheduledEventId),
        ChildWorkflowFailed f => children.ContainsKey(f.ScheduledEventId) || abandoned.Contains(f.ScheduledEventId),
        _ => true,
    };

    Task<JsonElement?> IWorkflowContext.ExecuteActivityAsync(string activityName, JsonElement input, ActivityOptions options)
    {
        var awaiter = new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = Backend.QueueNames.Validate(options.TaskQueue ?? Info.TaskQueue);
        var filled = options with { RetryPolicy = options.RetryPolicy ?? RetryPolicy.Default, TaskQueue = queue };
        pending.Enqueue(new ScheduleActivityCommand(activityName, input, queue, filled, id => activities[id] = (activityName, awaiter)));
        return awaiter.Task;
    }

    Task<JsonElement?> IWorkflowContext.ExecuteChildWorkflowAsync(string workflowType, JsonElement? input, ChildWorkflowOptions options)
    {
        var awaiter = new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = Backend.QueueNames.Validate(options.TaskQueue ?? Info.TaskQueue);
        pending.Enqueue(new ScheduleChildCommand(Info.WorkflowId, workflowType, input, queue, options, id => children[id] = (options.Id ?? $"{Info.WorkflowId}-child-{id}", awaiter)));
        return awaiter.Task;
    }

    Task IWorkflowContext.DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var awaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long? startedEventId = null;
        var command = new StartTimerCommand(delay, id =>
        {
            startedEventId = id;
            timers[id] = awaiter;
        });
        pending.Enqueue(command);
        if (cancellationToken.CanBeCanceled)
        {
            // Workflow code cancels its own token, so this runs at the same point on every replay.
            cancellationToken.Register(() =>
            {
                if (startedEventId is { } id)
                {
                    if (timers.Remove(id))
                    {
                        pending.Enqueue(new CancelTimerCommand(id));
                        awaiter.TrySetCanceled(cancellationToken);
                    }
                }
                else if (RemovePending(command))
                {
                    awaiter.TrySetCanceled(cancellationToken); // Never recorded: it started and ended within one task.
                }
            });
        }

        return awaiter.Task;
    }


    Task<bool> IWorkflowContext.WaitConditionAsync(Func<bool> condition, TimeSpan? timeout)
    {
        if (condition())
        {
            return Task.FromResult(true);
        }

        var awaiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        conditions.Add((condition, awaiter));
        if (timeout is { } limit)
        {
            // The timeout timer is cancelled once the condition wins, so it leaves no wake-up behind.
            var timeoutTimer = new CancellationTokenSource();
            ((IWorkflowContext)this).DelayAsync(limit, timeoutTimer.Token).ContinueWith(
                _ =>
                {
                    if (conditions.RemoveAll(c => c.Awaiter == awaiter) > 0)
                    {
                        awaiter.TrySetResult(false);
                    }
                },
                CancellationToken.None, TaskContinuationOptions.None, scheduler);
            awaiter.Task.ContinueWith(_ => timeoutTimer.Cancel(), CancellationToken.None, TaskContinuationOptions.None, scheduler);
        }

        return awaiter.Task;
    }

    bool IWorkflowContext.Patched(string patchId, bool deprecated)
    {
        if (patches.TryGetValue(patchId, out var known))
        {
            return known;
        }

        // Replaying a history recorded before the patch existed: take the old branch. New code paths take the new one.
        var patched = !IsReplaying || recordedPatches.Contains(patchId);
        if (patched)
        {
            pending.Enqueue(new RecordMarkerCommand(patchId, deprecated));
        }

        patches[patchId] = patched;
        return patched;
    }

    /// <summary>Answers a query from the current state. Queries must not change state or wait.</summary>
    public JsonElement? Query(string queryName, JsonElement? argument)
    {
        if (!definition.Queries.TryGetValue(queryName, out var member))
        {
            throw new InvalidWorkflowRequestException(
                $"Workflow type '{definition.Name}' has no query '{queryName}'. Its queries: {string.Join(", ", definition.Queries.Keys.Order(StringComparer.Ordinal))}.");
        }

        var target = workflow ?? throw new InvalidOperationException($"Workflow '{Info.WorkflowId}' has not started running yet.");
        try
        {
            var value = member switch
            {
                System.Reflection.PropertyInfo property => property.GetValue(target),
                System.Reflection.MethodInfo method => method.Invoke(target, method.GetParameters() is [var p] ? [PayloadJson.FromElement(argument, p.ParameterType)] : []),
                _ => null,
            };
            return PayloadJson.ToElement(value);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidWorkflowRequestException($"Query '{queryName}' of workflow '{Info.WorkflowId}' failed: {e.InnerException.Message}", e.InnerException);
        }
    }

    /// <summary>Runs the update validator against the current state; throws <see cref="WorkflowUpdateFailedException"/> when it rejects.</summary>
    public void ValidateUpdate(string updateName, JsonElement? argument)
    {
        if (!definition.Updates.TryGetValue(updateName, out var update))
        {
            throw new InvalidWorkflowRequestException(
                $"Workflow type '{definition.Name}' has no update '{updateName}'. Its updates: {string.Join(", ", definition.Updates.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (update.Validator is not { } validator)
        {
            return;
        }

        try
        {
            validator.Invoke(workflow ?? throw new InvalidOperationException($"Workflow '{Info.WorkflowId}' has not started running yet."), Arguments(validator, argument));
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new WorkflowUpdateFailedException(Info.WorkflowId, updateName, rejected: true, FailureInfo.FromException(e.InnerException));
        }
    }

    private void StartUpdate(WorkflowUpdateAccepted update, System.Reflection.MethodInfo handler)
    {
        Schedule(() => Call(() => handler.Invoke(workflow, BindingFlags.DoNotWrapExceptions, null, Arguments(handler, update.Input), null)).ContinueWith(
            done => pending.Enqueue(done.Exception?.InnerException is { } error
                ? new CompleteUpdateCommand(update.UpdateId, null, FailureInfo.FromException(error))
                : new CompleteUpdateCommand(update.UpdateId, handler.ReturnType.IsGenericType ? PayloadJson.ToElement(ResultOf(done)) : null, null)),
            CancellationToken.None, TaskContinuationOptions.None, scheduler));
    }

    private bool RemovePending(Command command)
    {
        var kept = pending.Where(c => !ReferenceEquals(c, command)).ToList();
        if (kept.Count == pending.Count)
        {
            return false;
        }

        pending.Clear();
        kept.ForEach(pending.Enqueue);
        return true;
    }

    /// <summary>Queues workflow code on the workflow scheduler.</summary>
    private void Schedule(Action action) => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.None, scheduler);

    /// <summary>Calls workflow code; a synchronous throw becomes a faulted task, so every failure is observed the same way.</summary>
    private static Task Call(Func<object?> invoke)
    {
        try
        {
            return invoke() as Task ?? Task.CompletedTask;
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    private static object?[] Arguments(System.Reflection.MethodInfo method, JsonElement? argument) =>
        method.GetParameters() is [var p] ? [PayloadJson.FromElement(argument, p.ParameterType)] : [];

    private void DropUnrecordedDeprecationMarkers(HistoryEvent? recorded)
    {
        // DeprecatePatch is replay-tolerant: histories recorded with or without its marker both replay.
        while (pending.TryPeek(out var head) && head is RecordMarkerCommand { Deprecated: true } marker
            && !(recorded is MarkerRecorded m && m.PatchId == marker.PatchId))
        {
            pending.Dequeue();
        }
    }

    private void ExpectNext(HistoryEvent recorded)
    {
        if (recorded.EventId != LastEventId + 1)
        {
            throw new InvalidOperationException($"History of workflow '{Info.WorkflowId}' has a gap: event {recorded.EventId} follows event {LastEventId}.");
        }
    }

    private void MatchCommand(HistoryEvent recorded)
    {
        DropUnrecordedDeprecationMarkers(recorded);
        if (recorded is MarkerRecorded marker && !(pending.TryPeek(out var head) && head.Matches(marker)))
        {
            // A marker whose DeprecatePatch call has since been removed from the code.
            Apply(recorded);
            return;
        }

        if (!pending.TryDequeue(out var command))
        {
            throw NonDeterminism(recorded, "did nothing more at that point");
        }

        if (!command.Matches(recorded))
        {
            throw NonDeterminism(recorded, $"did {command.Describe()}");
        }

        command.Bind(recorded.EventId);
        Apply(recorded);
    }

    private NonDeterminismException NonDeterminism(HistoryEvent recorded, string codeDid) => new(
        $"Workflow '{Info.WorkflowId}' ({Info.WorkflowType}): history recorded {recorded.Describe()} at event {recorded.EventId}; " +
        $"the code now {codeDid}. The workflow code changed in a way that is not replay-safe: guard the change with " +
        "Workflow.Patched(...) or deploy the previous code. History is untouched and the task will be retried.");

    private void Deliver(IEnumerable<HistoryEvent> batch, bool numbered = false)
    {
        foreach (var recorded in batch)
        {
            if (!numbered)
            {
                ExpectNext(recorded);
            }

            now = recorded.Timestamp;
            Apply(recorded);
        }

        RunUntilIdle();
        EmitCompletionIfDone();
    }

    /// <summary>Runs the code until it blocks, re-evaluating wait conditions after every step.</summary>
    private void RunUntilIdle()
    {
        while (true)
        {
            scheduler.RunUntilIdle();
            var satisfied = conditions.FindIndex(c => c.Condition());
            if (satisfied < 0)
            {
                return;
            }

            var awaiter = conditions[satisfied].Awaiter;
            conditions.RemoveAt(satisfied);
            awaiter.SetResult(true);
        }
    }

    /// <summary>Applies one recorded event to the in-memory state (awaiters, clock, last event ID).</summary>
    private void Apply(HistoryEvent recorded)
    {
        LastEventId = Math.Max(LastEventId, recorded.EventId);
        switch (recorded)
        {
            case WorkflowSignaled { RequestId: var signalId } when !seenRequests.Add("s-" + signalId):
            case WorkflowUpdateAccepted { UpdateId: var updateId } when !seenRequests.Add("u-" + updateId):
                break;
            case WorkflowStarted started:
                Random = new Random(started.RandomSeed);
                Schedule(() => runMethod = Call(() =>
                {
                    workflow = definition.CreateInstance();
                    return definition.RunMethod.Invoke(workflow, BindingFlags.DoNotWrapExceptions, null, Arguments(definition.RunMethod, started.Input), null);
                }));
                break;
            case ActivityCompleted completed when !abandoned.Contains(completed.ScheduledEventId):
                TakeActivity(completed.ScheduledEventId, recorded).Awaiter.SetResult(completed.Result);
                break;
            case ActivityFailed failed when !abandoned.Contains(failed.ScheduledEventId):
                var (name, awaiter) = TakeActivity(failed.ScheduledEventId, recorded);
                awaiter.SetException(new ActivityFailureException(name, failed.Attempt, failed.Failure));
                break;
            case ChildWorkflowCompleted child when !abandoned.Contains(child.ScheduledEventId):
                TakeChild(child.ScheduledEventId, recorded).Awaiter.SetResult(child.Result);
                break;
            case ChildWorkflowFailed child when !abandoned.Contains(child.ScheduledEventId):
                var (childId, childAwaiter) = TakeChild(child.ScheduledEventId, recorded);
                childAwaiter.SetException(new ChildWorkflowFailureException(childId, child.Status, child.Failure));
                break;
            case WorkflowCancelRequested cancel when !IsCancellationRequested:
                RequestCancellation(cancel.Reason);
                break;
            case WorkflowSignaled signaled when definition.Signals.TryGetValue(signaled.SignalName, out var handler):
                Schedule(() => handlers.Add(Call(() => handler.Invoke(workflow, BindingFlags.DoNotWrapExceptions, null, Arguments(handler, signaled.Input), null))));
                break;
            case WorkflowUpdateAccepted update when definition.Updates.TryGetValue(update.UpdateName, out var updateHandler):
                StartUpdate(update, updateHandler.Handler);
                break;
            case TimerCanceled canceled:
                timers.Remove(canceled.StartedEventId);
                abandoned.Add(canceled.StartedEventId);
                break;
            case TimerFired fired when abandoned.Contains(fired.StartedEventId):
                break;
            case TimerFired fired:
                if (!timers.Remove(fired.StartedEventId, out var timer))
                {
                    throw new InvalidOperationException($"Workflow '{Info.WorkflowId}': event {recorded.EventId} fires timer {fired.StartedEventId}, which is not pending.");
                }

                timer.SetResult();
                break;
            case WorkflowCompleted or WorkflowFailed or WorkflowTerminated or WorkflowCanceled or WorkflowContinuedAsNew:
                closed = true;
                break;
        }
    }

    /// <summary>Cancellation reaches the code at every pending await; what it started afterwards (cleanup) runs normally.</summary>
    private void RequestCancellation(string? reason)
    {
        IsCancellationRequested = true;
        cancelReason = reason;
        Abandon(activities, a => a.Awaiter.TrySetException(new WorkflowCanceledException(reason)));
        Abandon(timers, t => t.TrySetException(new WorkflowCanceledException(reason)));
        Abandon(children, c => c.Awaiter.TrySetException(new WorkflowCanceledException(reason)));
        conditions.ForEach(c => c.Awaiter.TrySetException(new WorkflowCanceledException(reason)));
        conditions.Clear();
    }

    /// <summary>Fails every pending awaiter of one kind; outcomes that arrive for them later are applied as no-ops.</summary>
    private void Abandon<T>(Dictionary<long, T> pendingWork, Func<T, bool> fail)
    {
        foreach (var (id, entry) in pendingWork)
        {
            abandoned.Add(id);
            fail(entry);
        }

        pendingWork.Clear();
    }

    private (string ChildId, TaskCompletionSource<JsonElement?> Awaiter) TakeChild(long scheduledEventId, HistoryEvent recorded) =>
        children.Remove(scheduledEventId, out var entry)
            ? entry
            : throw new InvalidOperationException($"Workflow '{Info.WorkflowId}': event {recorded.EventId} reports child {scheduledEventId}, which is not pending.");

    private (string Name, TaskCompletionSource<JsonElement?> Awaiter) TakeActivity(long scheduledEventId, HistoryEvent recorded) =>
        activities.Remove(scheduledEventId, out var entry)
            ? entry
            : throw new InvalidOperationException($"Workflow '{Info.WorkflowId}': event {recorded.EventId} reports activity {scheduledEventId}, which is not pending.");

    private void EmitCompletionIfDone()
    {
        if (closed || pending.Any(c => c is CompleteWorkflowCommand or FailWorkflowCommand or CancelWorkflowCommand or ContinueAsNewCommand))
        {
            return;
        }

        if (handlers.FirstOrDefault(h => h.IsFaulted) is { } failedHandler)
        {
            pending.Enqueue(new FailWorkflowCommand(FailureInfo.FromException(failedHandler.Exception!.InnerException!)));
            return;
        }

        handlers.RemoveAll(h => h.IsCompleted);
        if (runMethod is not { IsCompleted: true })
        {
            return;
        }

        pending.Enqueue(CloseCommand(runMethod));
    }

    private Command CloseCommand(Task finished)
    {
        if (finished.Status == TaskStatus.RanToCompletion)
        {
            return new CompleteWorkflowCommand(definition.ResultType is null ? null : PayloadJson.ToElement(ResultOf(finished)));
        }

        var error = finished.IsCanceled
            ? new WorkflowCanceledException(cancelReason)
            : finished.Exception!.InnerExceptions.Count == 1 ? finished.Exception.InnerException! : finished.Exception;
        return error switch
        {
            ContinueAsNewException next => new ContinueAsNewCommand(PayloadJson.ToElement(next.Input)),
            OperationCanceledException when IsCancellationRequested => new CancelWorkflowCommand(),
            _ => new FailWorkflowCommand(FailureInfo.FromException(error)),
        };
    }

    private static object? ResultOf(Task task) => task.GetType().GetProperty("Result")?.GetValue(task);
}
