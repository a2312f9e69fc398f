using System.Text.Json;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>The commit that starts a run: the instance row and the <c>WorkflowStarted</c> event, with a wake-up in the outbox.</summary>
internal static class StartCommit
{
    /// <summary>
    /// Builds the commit; <paramref name="replacing"/> is the instance row the new run replaces (its ETag is the fence), null for a new ID;
    /// <paramref name="traceParent"/> is the run's root trace context (see <see cref="Diagnostics.ServerlessFlowTelemetry"/>).
    /// </summary>
    public static WorkflowCommit Build(
        string workflowId, string runId, string workflowType, string taskQueue, JsonElement? input, DateTimeOffset now, InstanceRecord? replacing, ParentLink? parent,
        RunMetadata? metadata = null, string? traceParent = null)
    {
        var started = new WorkflowStarted
        {
            EventId = 1, Timestamp = now, WorkflowType = workflowType, TaskQueue = taskQueue, Input = input, RandomSeed = Random.Shared.Next(),
            Memo = metadata?.Memo, SearchAttributes = metadata?.SearchAttributes is { Count: > 0 } attributes ? attributes : null,
            TraceParent = traceParent,
        };
        var instance = new InstanceRecord
        {
            WorkflowId = workflowId, RunId = runId, WorkflowType = workflowType, TaskQueue = taskQueue, Status = WorkflowStatus.Running,
            CreatedAt = now, LastEventId = 1, OutboxPending = true, ETag = replacing?.ETag, Parent = parent,
            Outbox = [new OutboundMessage(QueueNames.Workflow(taskQueue), new WorkflowTaskMessage { WorkflowId = workflowId, RunId = runId })],
            // A new ID starts at the clock so that it outranks index entries of a purged namesake (see InstanceRecord.Version).
            Version = replacing is null ? now.UtcTicks : replacing.Version + 1,
            VisibilityChanged = true,
            SearchAttributes = metadata?.SearchAttributes ?? new Dictionary<string, JsonElement>(),
            ScheduledBy = metadata?.ScheduledBy,
            TraceParent = traceParent,
        };
        return new WorkflowCommit { Instance = instance, NewEvents = [started] };
    }

    /// <summary>
    /// The start for a starter that runs the first task itself (eager start): no message at all. The outbox flag stays set for
    /// the index entry, and the starter does not clear it: the first task's commit does. Should the starter die before that
    /// commit, the recovery sweep finds the flag set past its threshold and wakes the workflow, as for any unsent outbox.
    /// </summary>
    public static WorkflowCommit Eager(WorkflowCommit start) => start with { Instance = start.Instance with { Outbox = [] } };

    /// <summary>
    /// The start of a run whose first workflow task is due <paramref name="delay"/> after it (a start delay): the wake-up is
    /// delayed to that time and marked with it, so that one arriving early (capped at the queue's delay limit, or rounded
    /// down) is re-armed, and the instance row holds the time, so that no other wake-up runs the task before it.
    /// </summary>
    public static WorkflowCommit WithStartDelay(WorkflowCommit start, TimeSpan delay)
    {
        var started = (WorkflowStarted)start.NewEvents[0];
        var instance = start.Instance;
        var dueAt = started.Timestamp + delay;
        var wake = new WorkflowTaskMessage { WorkflowId = instance.WorkflowId, RunId = instance.RunId, TimerAt = dueAt };
        return start with
        {
            Instance = instance with { Outbox = [new OutboundMessage(QueueNames.Workflow(instance.TaskQueue), wake, dueAt)], FirstTaskDueAt = dueAt, AwaitingFirstTask = true },
            NewEvents = [started with { StartDelay = delay }],
        };
    }
}

/// <summary>What a run starts with besides its input: memo, search attributes, the schedule that started it.</summary>
/// <param name="Memo">Unindexed metadata; null for none.</param>
/// <param name="SearchAttributes">Normalized search attributes.</param>
/// <param name="ScheduledBy">The schedule to tell when the run closes.</param>
internal sealed record RunMetadata(IReadOnlyDictionary<string, JsonElement>? Memo, IReadOnlyDictionary<string, JsonElement> SearchAttributes, ScheduleLink? ScheduledBy);
