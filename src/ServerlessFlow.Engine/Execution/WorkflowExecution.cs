using ServerlessFlow.Engine.Visibility;
using System.Text.Json;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.History;
using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine.Execution;

/// <summary>
/// One workflow run held in memory: its object, its suspended code, and the awaiters of its pending
/// activities and timers. <see cref="Replay"/> rebuilds it from recorded history, checking that the
/// code asks for exactly what history recorded; <see cref="RunTask"/> advances it with new events
/// and returns the events to commit.
/// </summary>
/// <remarks>
/// History is a sequence of workflow tasks, each an inbound batch (events from outside) followed by
/// the commands the code produced in response. A history that holds only its <see cref="WorkflowStarted"/>
/// event is run live by the next task: either no task has run yet, or the first one ran the code and it did
/// nothing recordable. Both look alike, so the start always runs alone, before any inbound event.
/// </remarks>
internal sealed partial class WorkflowExecution : IWorkflowContext
{
    private readonly WorkflowDefinition definition;
    private readonly WorkflowScheduler scheduler;
    private readonly Queue<Command> pending = new();
    private readonly Dictionary<long, (string Name, TaskCompletionSource<JsonElement?> Awaiter)> activities = [];
    private readonly Dictionary<long, TaskCompletionSource> timers = [];
    private readonly Dictionary<long, ChildAwaiters> children = [];
    private readonly Dictionary<long, (string TargetId, TaskCompletionSource Awaiter)> externalRequests = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource<bool> Awaiter)> conditions = [];
    private readonly List<Task> handlers = [];
    private readonly HashSet<string> recordedPatches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> patches = new(StringComparer.Ordinal);
    private readonly HashSet<long> abandoned = [];
    private readonly HashSet<string> seenRequests = new(StringComparer.Ordinal);

    /// <summary>Signal request IDs this run and the runs before it applied, oldest first: what a continue-as-new hands on.</summary>
    private readonly List<string> signalRequestIds = [];
    private readonly SearchAttributeRegistry attributes;
    private IReadOnlyDictionary<string, JsonElement> currentAttributes = new Dictionary<string, JsonElement>();
    private Exception? taskFailure;
    private object? workflow;
    private string? cancelReason;
    private bool cancellationUndelivered;
    private WorkflowStarted? unrunStart;
    private Task? runMethod;
    private bool closed;
    private DateTimeOffset now;
    private IReadOnlyList<HistoryEvent>? undelivered;

    public WorkflowExecution(WorkflowDefinition definition, SearchAttributeRegistry attributes, string workflowId, string runId, string taskQueue)
    {
        this.definition = definition;
        this.attributes = attributes;
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

    /// <summary>
    /// How many of the latest signal request IDs a continue-as-new hands to the new run: a retry comes within moments of its first
    /// try, and the list is written into two events of every continue-as-new (1,000 generated IDs are about 35 KB).
    /// </summary>
    public const int MaxCarriedSignalRequestIds = 1_000;

    public bool IsCancellationRequested { get; private set; }

    public bool ContinueAsNewSuggested => LastEventId >= SuggestContinueAsNewAfterEvents;

    /// <summary>ID of the last event applied.</summary>
    public long LastEventId { get; private set; }

    /// <summary>True when the recorded start has not been run by a workflow task yet.</summary>
    public bool HasUnrunStart => unrunStart is not null;

    /// <summary>Replays committed history. Throws <see cref="NonDeterminismException"/> when the code disagrees with it.</summary>
    public void Replay(IReadOnlyList<HistoryEvent> events)
    {
        using var executing = scheduler.Enter();
        if (LastEventId == 0 && events is [WorkflowStarted onlyStart])
        {
            unrunStart = onlyStart;
            LastEventId = onlyStart.EventId;
            RememberPriorSignals(onlyStart); // signals may arrive before the start runs, and must be told apart from retries then too
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

                var end = i + 1;
                while (end < events.Count && !events[end].IsCommand && !events[end].StartsTask)
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
        using var executing = scheduler.Enter();
        now = time;
        var result = new List<HistoryEvent>();
        if (unrunStart is { } start)
        {
            // The recorded start runs alone, before the events that came with it. A first task whose code did nothing
            // recordable commits no event, so the history still looks unrun to everyone else, while the worker that ran
            // it keeps the execution cached and delivers later events to code already waiting. Running the start alone
            // everywhere gives both the same state; and a cancel request must reach the code at its first await, not
            // before the code ran at all (it would then miss every await the code goes on to make).
            unrunStart = null;
            Deliver([start], numbered: true);
        }

        undelivered = inbound;
        return Advance(result, time);
    }

    /// <summary>The local activity the task waits for before it can go on (<see cref="ResolveLocalActivity"/>), if any.</summary>
    public LocalActivityRequest? PendingLocalActivity => pending.TryPeek(out var head) && head is LocalActivityCommand { Outcome: null } local ? local.Request : null;

    /// <summary>
    /// Goes on with the task once the worker has run <see cref="PendingLocalActivity"/>: records its marker, runs the code it
    /// releases, and returns the further events to commit (the caller appends them to those it has).
    /// </summary>
    public IReadOnlyList<HistoryEvent> ResolveLocalActivity(LocalActivityOutcome outcome, DateTimeOffset time)
    {
        using var executing = scheduler.Enter();
        ((LocalActivityCommand)pending.Peek()).Outcome = outcome;
        return Advance([], time);
    }

    /// <summary>
    /// Records commands until done or blocked on a local activity; inbound events are delivered only after the commands the code
    /// made before them (a local activity included), so replay sees the same order.
    /// </summary>
    private List<HistoryEvent> Advance(List<HistoryEvent> result, DateTimeOffset time)
    {
        RecordCommands(result, time);
        if (PendingLocalActivity is null && undelivered is { } inbound)
        {
            undelivered = null;

            // Events for a run the start already closed are consumed unapplied, as for any closed run.
            var fresh = closed ? [] : inbound.Select((e, i) => e with { EventId = ++LastEventId, Timestamp = time, StartsTask = i == 0 }).ToList();
            if (fresh.Count > 0)
            {
                result.AddRange(fresh);
                Deliver(fresh, numbered: true);
                RecordCommands(result, time);
            }
        }

        return taskFailure is { } failure
            ? throw new WorkflowTaskFailureException($"The workflow task failed and will be retried: {failure.Message}", failure)
            : result;
    }

    /// <summary>
    /// Turns the commands the code produced into numbered events, appended to <paramref name="result"/>; stops at a local activity
    /// that has not run yet. A local activity's marker releases code (its awaiter completes), which runs here, as it does on replay.
    /// </summary>
    private void RecordCommands(List<HistoryEvent> result, DateTimeOffset time)
    {
        while (pending.TryPeek(out var command) && command is not LocalActivityCommand { Outcome: null })
        {
            pending.Dequeue();
            var recorded = command.ToEvent(++LastEventId, time);
            command.Bind(recorded);
            Apply(recorded);
            result.Add(recorded);
            if (command is LocalActivityCommand)
            {
                RunReleasedCode();
            }
        }
    }

    /// <summary>Runs the code a local activity's outcome released, exactly as a delivered batch would.</summary>
    private void RunReleasedCode()
    {
        RunUntilIdle();
        EmitCompletionIfDone();
    }

    /// <summary>Queues workflow code on the workflow scheduler.</summary>
    private void Schedule(Action action) => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.None, scheduler);

    /// <summary>Calls workflow code; a synchronous throw becomes a faulted task, so every failure is observed the same way.</summary>
    private static Task Call(Func<Task> invoke)
    {
        try
        {
            return invoke();
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    /// <summary>Calls a member of the workflow object with its one argument (a missing one reads as default).</summary>
    /// <param name="invoker">The member's invoker.</param>
    /// <param name="member">The member, as an error message names it within the workflow type (e.g. "signal 'approve'").</param>
    /// <param name="argument">The argument recorded for it.</param>
    private Task Invoke(MemberInvoker invoker, string member, JsonElement? argument) =>
        invoker.Invoke(workflow!, Arguments(member, argument), CancellationToken.None);

    private InvocationArguments Arguments(string member, JsonElement? argument) => new(
        argument is { ValueKind: not JsonValueKind.Undefined } value ? [value] : [],
        missingReadsAsDefault: true,
        (_, error) => new InvalidWorkflowRequestException($"The argument does not fit the parameter of the {member} of workflow type '{definition.Name}': {error?.Message}", error));

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

        command.Bind(recorded);
        Apply(recorded);
        if (command is LocalActivityCommand)
        {
            RunReleasedCode();
        }
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

            // A delayed start's code begins at its due time, on every replay alike.
            now = recorded is WorkflowStarted started ? started.BeginsAt : recorded.Timestamp;
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

    /// <summary>Signals the runs before this one (continue-as-new) applied: retries of them are not applied again.</summary>
    private void RememberPriorSignals(WorkflowStarted started)
    {
        foreach (var prior in started.PriorSignalRequestIds ?? [])
        {
            if (seenRequests.Add("s-" + prior))
            {
                signalRequestIds.Add(prior);
            }
        }
    }

    /// <summary>Applies one recorded event to the in-memory state (awaiters, clock, last event ID).</summary>
    private void Apply(HistoryEvent recorded)
    {
        LastEventId = Math.Max(LastEventId, recorded.EventId);
        if (recorded is WorkflowSignaled { RequestId: var requestId } && !seenRequests.Contains("s-" + requestId))
        {
            signalRequestIds.Add(requestId);
        }

        switch (recorded)
        {
            case WorkflowSignaled { RequestId: var signalId } when !seenRequests.Add("s-" + signalId):
            case WorkflowUpdateAccepted { UpdateId: var updateId } when !seenRequests.Add("u-" + updateId):
                break;
            case WorkflowStarted started:
                RememberPriorSignals(started);
                Random = new Random(started.RandomSeed);
                currentAttributes = started.SearchAttributes ?? new Dictionary<string, JsonElement>();
                Schedule(() => runMethod = Call(() =>
                {
                    workflow = definition.Invokers.Create();
                    return Invoke(definition.Invokers.Run, "the run method", started.Input);
                }));
                break;
            case ActivityCompleted completed when !abandoned.Contains(completed.ScheduledEventId):
                Take(activities, completed.ScheduledEventId, recorded).Awaiter.SetResult(completed.Result);
                break;
            case ActivityFailed failed when !abandoned.Contains(failed.ScheduledEventId):
                var (name, awaiter) = Take(activities, failed.ScheduledEventId, recorded);
                awaiter.SetException(new ActivityFailureException(name, failed.Attempt, failed.Failure));
                break;
            case ChildWorkflowStarted started when !abandoned.Contains(started.ScheduledEventId):
                ChildStarted(started);
                break;
            case ChildWorkflowCompleted child when !abandoned.Contains(child.ScheduledEventId):
                Take(children, child.ScheduledEventId, recorded).Complete(child.Result, FirstRunIdOf(child.ScheduledEventId));
                break;
            case ChildWorkflowFailed child when !abandoned.Contains(child.ScheduledEventId):
                ChildFailed(Take(children, child.ScheduledEventId, recorded), child);
                break;
            case ExternalWorkflowRequestCompleted delivered when !abandoned.Contains(delivered.RequestedEventId):
                Take(externalRequests, delivered.RequestedEventId, recorded).Awaiter.SetResult();
                break;
            case ExternalWorkflowRequestFailed refused when !abandoned.Contains(refused.RequestedEventId):
                var (targetId, requestAwaiter) = Take(externalRequests, refused.RequestedEventId, recorded);
                requestAwaiter.SetException(new ExternalWorkflowFailureException(targetId, refused.Failure));
                break;
            case WorkflowCancelRequested cancel when !IsCancellationRequested:
                RequestCancellation(cancel.Reason);
                break;
            case WorkflowSignaled signaled when definition.Signals.TryGetValue(signaled.SignalName, out var handler):
                Schedule(() => handlers.Add(Call(() => Invoke(handler, $"signal '{signaled.SignalName}'", signaled.Input))));
                break;
            case WorkflowUpdateAccepted update when definition.Updates.ContainsKey(update.UpdateName):
                StartUpdate(update);
                break;
            case ActivityCanceled canceled:
                activities.Remove(canceled.ScheduledEventId);
                abandoned.Add(canceled.ScheduledEventId);
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

    private void EmitCompletionIfDone()
    {
        if (closed || pending.Any(c => c is CompleteWorkflowCommand or FailWorkflowCommand or CancelWorkflowCommand or ContinueAsNewCommand))
        {
            return;
        }

        if (handlers.FirstOrDefault(h => h.IsFaulted) is { } failedHandler)
        {
            var handlerError = failedHandler.Exception!.InnerException!;
            if (definition.FailsWorkflow(handlerError) || IsReplaying)
            {
                pending.Enqueue(new FailWorkflowCommand(FailureInfo.FromException(handlerError)));
            }
            else
            {
                FailTask(handlerError, "a signal handler");
            }

            return;
        }

        handlers.RemoveAll(h => h.IsCompleted);
        if (runMethod is not { IsCompleted: true })
        {
            return;
        }

        if (CloseCommand(runMethod) is { } close)
        {
            pending.Enqueue(close);
        }
    }

    /// <summary>
    /// Workflow code threw an exception that is not a failure exception (a null reference, a bad cast): a bug, so the task fails and
    /// is retried — history is untouched, and corrected code deployed meanwhile continues the run — rather than failing the
    /// workflow for good. <see cref="WorkflowAttribute.FailureExceptionTypes"/> names the exceptions that fail the workflow instead.
    /// </summary>
    private void FailTask(Exception error, string where) =>
        taskFailure ??= new WorkflowTaskFailureException(
            $"Workflow '{Info.WorkflowId}' ({Info.WorkflowType}): {where} threw {error.GetType().FullName}: {error.Message} " +
            $"{FirstFrame(error)}It is not a failure exception, so the workflow task fails and is retried with back-off; the workflow stays running. " +
            "Fix the code and deploy it, throw ApplicationFailureException to fail the workflow on purpose, or list the type in " +
            "[Workflow(FailureExceptionTypes = …)].",
            error);

    private static string FirstFrame(Exception error) =>
        error.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } frame ? $"({frame}) " : "";

    private Command? CloseCommand(Task finished)
    {
        if (finished.Status == TaskStatus.RanToCompletion)
        {
            return new CompleteWorkflowCommand(PayloadJson.ToElement(definition.Invokers.Run.ResultOf(finished)));
        }

        var error = finished.IsCanceled
            ? new WorkflowCanceledException(cancelReason)
            : finished.Exception!.InnerExceptions.Count == 1 ? finished.Exception.InnerException! : finished.Exception;
        return error switch
        {
            ContinueAsNewException next => new ContinueAsNewCommand(
                PayloadJson.ToElement(next.Input), signalRequestIds.Count == 0 ? null : signalRequestIds.TakeLast(MaxCarriedSignalRequestIds).ToList()),
            OperationCanceledException when IsCancellationRequested => new CancelWorkflowCommand(cancelReason),
            // While replaying, code throws only where history already recorded how the run ended: histories of runs that an older
            // engine failed for any exception still replay (a task failure is never committed, so it is never replayed).
            _ when definition.FailsWorkflow(error) || IsReplaying => new FailWorkflowCommand(FailureInfo.FromException(error)),
            _ => FailTaskInstead(error),
        };
    }

    private Command? FailTaskInstead(Exception error)
    {
        FailTask(error, "the run method");
        return null;
    }
}
