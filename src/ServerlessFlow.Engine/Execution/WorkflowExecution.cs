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

    /// <summary>The run's first event once applied: what a describe of the run reads as event 1 (its input and memo).</summary>
    public WorkflowStarted? Started { get; private set; }

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
}
