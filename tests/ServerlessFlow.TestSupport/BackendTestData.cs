using System.Text.Json;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.TestSupport;

/// <summary>Builders of backend records for tests: instances, events, commits, inbox items, activities.</summary>
public static class BackendTestData
{
    /// <summary>The workflow type the builders use.</summary>
    public const string WorkflowType = "OrderWorkflow";

    /// <summary>A workflow ID no other test uses.</summary>
    public static string NewWorkflowId(string label = "wf") => $"{label}-{Guid.NewGuid():N}";

    /// <summary>A run ID.</summary>
    public static string NewRunId() => Guid.NewGuid().ToString("N");

    /// <summary>A JSON value of the given kind.</summary>
    public static JsonElement Json(object? value) => JsonSerializer.SerializeToElement(value, PayloadJson.Options);

    /// <summary>A JSON string of exactly <paramref name="bytes"/> lowercase letters (as many UTF-8 bytes) plus its quotes, varied so chunk boundaries are checked.</summary>
    public static JsonElement Payload(int bytes, char seed = 'a') =>
        Json(string.Create(bytes, seed, (span, first) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + ((first - 'a' + i) % 26));
            }
        }));

    /// <summary>The start commit of a workflow: an insert with a WorkflowStarted event.</summary>
    public static WorkflowCommit StartCommit(string workflowId, string? runId = null, JsonElement? input = null, DateTimeOffset? createdAt = null, string workflowType = WorkflowType)
    {
        var run = runId ?? NewRunId();
        var at = createdAt ?? DateTimeOffset.UtcNow;
        var started = new WorkflowStarted { EventId = 1, Timestamp = at, WorkflowType = workflowType, TaskQueue = QueueNames.DefaultTaskQueue, Input = input, RandomSeed = 42 };
        return new WorkflowCommit
        {
            Instance = new InstanceRecord
            {
                WorkflowId = workflowId,
                RunId = run,
                WorkflowType = workflowType,
                TaskQueue = QueueNames.DefaultTaskQueue,
                Status = WorkflowStatus.Running,
                CreatedAt = at,
                LastEventId = 1,
            },
            NewEvents = [started],
        };
    }

    /// <summary>
    /// A commit after <paramref name="current"/> (fenced on its ETag) appending <paramref name="events"/>,
    /// numbered from the current last event on.
    /// </summary>
    public static WorkflowCommit Next(InstanceRecord current, IEnumerable<HistoryEvent> events, IReadOnlyList<string>? consumedInbox = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        var numbered = events.Select((e, i) => e with { EventId = current.LastEventId + 1 + i }).ToList();
        return new WorkflowCommit
        {
            Instance = current with { LastEventId = current.LastEventId + numbered.Count },
            NewEvents = numbered,
            ConsumedInbox = consumedInbox ?? [],
        };
    }

    /// <summary><paramref name="count"/> timer events, each due <paramref name="count"/> minutes apart (their IDs are assigned by <see cref="Next"/>).</summary>
    public static IEnumerable<HistoryEvent> Timers(int count, DateTimeOffset? start = null)
    {
        var at = start ?? new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return Enumerable.Range(0, count).Select(i => (HistoryEvent)new TimerStarted { Timestamp = at, FireAt = at.AddMinutes(i) });
    }

    /// <summary>An ActivityScheduled event (ID assigned by <see cref="Next"/>).</summary>
    public static ActivityScheduled Scheduled(JsonElement input, string name = "Charge") => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        ActivityName = name,
        Input = input,
        TaskQueue = QueueNames.DefaultTaskQueue,
        Options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(30) },
    };

    /// <summary>The activity row of an ActivityScheduled event.</summary>
    public static ActivityTaskRecord Activity(InstanceRecord instance, ActivityScheduled scheduled) => new()
    {
        WorkflowId = instance.WorkflowId,
        RunId = instance.RunId,
        ScheduledEventId = scheduled.EventId,
        ActivityName = scheduled.ActivityName,
        Input = scheduled.Input,
        TaskQueue = scheduled.TaskQueue,
        WorkflowTaskQueue = instance.TaskQueue,
        Options = scheduled.Options,
        ScheduledAt = scheduled.Timestamp,
    };

    /// <summary>The inbox item reporting an activity's result.</summary>
    public static InboxItem ActivityOutcome(string runId, long scheduledEventId, JsonElement? result, DateTimeOffset? createdAt = null) => new()
    {
        Key = InboxItem.ActivityKey(runId, scheduledEventId),
        RunId = runId,
        Event = new ActivityCompleted { ScheduledEventId = scheduledEventId, Result = result, Attempt = 1 },
        CreatedAt = createdAt ?? DateTimeOffset.UtcNow,
    };

    /// <summary>An inbox item with an arbitrary key (a timer firing stands in for any external event).</summary>
    public static InboxItem Item(string key, string runId, DateTimeOffset? createdAt = null) => new()
    {
        Key = key,
        RunId = runId,
        Event = new TimerFired { StartedEventId = 1 },
        CreatedAt = createdAt ?? DateTimeOffset.UtcNow,
    };

    /// <summary>The serialized form of an event, for comparing events that hold JSON elements (records compare JsonElement by reference).</summary>
    public static string Canonical(HistoryEvent historyEvent) => JsonSerializer.Serialize(historyEvent, PayloadJson.Options);

    /// <summary>The serialized form of an activity record without its ETag.</summary>
    public static string Canonical(ActivityTaskRecord activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return JsonSerializer.Serialize(activity with { ETag = null }, PayloadJson.Options);
    }
}
