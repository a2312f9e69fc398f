using System.Text.Json;

namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// Dispatch bookkeeping of one scheduled activity, kept in the workflow's partition: what to run, which
/// attempt is current, and how the last one failed. Written by the workflow commit that scheduled it,
/// updated by activity workers (ETag-guarded), deleted by the commit that consumes its outcome.
/// </summary>
public sealed record ActivityTaskRecord
{
    /// <summary>The workflow ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The run that scheduled it.</summary>
    public required string RunId { get; init; }

    /// <summary>The <c>ActivityScheduled</c> event ID; identifies the activity within the run.</summary>
    public required long ScheduledEventId { get; init; }

    /// <summary>The activity name.</summary>
    public required string ActivityName { get; init; }

    /// <summary>Arguments as a JSON array.</summary>
    public required JsonElement Input { get; init; }

    /// <summary>The activity's task queue.</summary>
    public required string TaskQueue { get; init; }

    /// <summary>The workflow's task queue, where the outcome's wake-up goes.</summary>
    public required string WorkflowTaskQueue { get; init; }

    /// <summary>Options with defaults filled in.</summary>
    public required ActivityOptions Options { get; init; }

    /// <summary>When the activity was scheduled (schedule-to-close counts from here).</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>The current attempt, from 1.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Where the activity is.</summary>
    public ActivityState State { get; init; } = ActivityState.Scheduled;

    /// <summary>When the current attempt started, if it has.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Not before this time may the current attempt start (retry backoff); null for at once.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The details of the last heartbeat, kept for the next attempt to resume from.</summary>
    public JsonElement? HeartbeatDetails { get; init; }

    /// <summary>The run's root trace context (the instance's), the parent of every attempt's span.</summary>
    public string? TraceParent { get; init; }

    /// <summary>When the current attempt last heartbeat.</summary>
    public DateTimeOffset? LastHeartbeatAt { get; init; }

    /// <summary>The last attempt's failure, if any.</summary>
    public FailureInfo? LastFailure { get; init; }

    /// <summary>Opaque concurrency token set by the backend.</summary>
    public string? ETag { get; init; }
}

/// <summary>Where an activity is in its life.</summary>
public enum ActivityState
{
    /// <summary>Waiting for a worker (first attempt or a retry).</summary>
    Scheduled = 0,

    /// <summary>An attempt is running.</summary>
    Started = 1,

    /// <summary>The outcome is in the workflow's inbox.</summary>
    Closed = 2,
}
