using System.Text.Json;

namespace ServerlessFlow;

/// <summary>What a workflow's current run looks like now.</summary>
public sealed record WorkflowDescription
{
    /// <summary>The workflow ID.</summary>
    public required string Id { get; init; }

    /// <summary>The current run.</summary>
    public required string RunId { get; init; }

    /// <summary>The workflow type name.</summary>
    public required string Type { get; init; }

    /// <summary>Running, or how it closed.</summary>
    public required WorkflowStatus Status { get; init; }

    /// <summary>The task queue.</summary>
    public required string TaskQueue { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Number of history events.</summary>
    public required long HistoryLength { get; init; }

    /// <summary>The run's input.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>The result, when completed.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>The failure, when failed (or the reason, when terminated).</summary>
    public FailureInfo? Failure { get; init; }

    /// <summary>Activities scheduled and not finished.</summary>
    public IReadOnlyList<PendingActivityDescription> PendingActivities { get; init; } = [];

    /// <summary>Timers started and not fired: their due times.</summary>
    public IReadOnlyList<DateTimeOffset> PendingTimers { get; init; } = [];

    /// <summary>The memo given at start (unindexed metadata); null when none was given.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Memo { get; init; }

    /// <summary>The search attributes: given at start, then as the workflow upserted them.</summary>
    public IReadOnlyDictionary<string, JsonElement> SearchAttributes { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Set while the (running) workflow is suspended: when and why. Null otherwise, and always once it has closed.</summary>
    public WorkflowSuspension? Suspension { get; init; }

    /// <summary>
    /// When the run's first workflow task was due, for a run started with <see cref="StartWorkflowOptions.StartDelay"/>; null for a run
    /// that started at once. While it lies ahead, the run is <see cref="WorkflowStatus.Running"/> and none of its code has run.
    /// </summary>
    public DateTimeOffset? FirstTaskDueAt { get; init; }

    /// <summary>The last workflow task failure (for example a non-determinism error), while it persists.</summary>
    public string? LastTaskFailure { get; init; }

    /// <summary>
    /// Messages the run waits on that were dead-lettered (what, why, and the way out), oldest first, each until it is dealt with: the
    /// work it was about is settled (requeue it from the dead letters), or for a wake-up, the run commits again. Empty when none.
    /// </summary>
    public IReadOnlyList<string> DeadLetters { get; init; } = [];

    /// <summary>Reads the result as <typeparamref name="T"/>; throws <see cref="WorkflowFailedException"/> if the run did not complete.</summary>
    public T? GetResult<T>() => Status switch
    {
        WorkflowStatus.Completed => PayloadJson.FromElement<T>(Result),
        WorkflowStatus.Running => throw new InvalidOperationException($"Workflow '{Id}' is still running; wait for it to close first."),
        _ => throw new WorkflowFailedException(Id, Status, Failure ?? new FailureInfo { Type = Status.ToString(), Message = $"Workflow ended as {Status}." }),
    };
}

/// <summary>An activity that is scheduled and not finished.</summary>
/// <param name="ScheduledEventId">Its <c>ActivityScheduled</c> event.</param>
/// <param name="ActivityName">Its name.</param>
/// <param name="TaskQueue">Its task queue.</param>
public sealed record PendingActivityDescription(long ScheduledEventId, string ActivityName, string TaskQueue)
{
    /// <summary>"Scheduled" (waiting for a worker or a retry), "Started" (an attempt is running) or "Closed" (its outcome awaits the workflow).</summary>
    public string? State { get; init; }

    /// <summary>The current attempt, from 1.</summary>
    public int Attempt { get; init; }

    /// <summary>When the running attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the running attempt last heartbeat.</summary>
    public DateTimeOffset? LastHeartbeatAt { get; init; }

    /// <summary>The details of the last saved heartbeat (what the next attempt resumes from); null when none.</summary>
    public JsonElement? HeartbeatDetails { get; init; }

    /// <summary>When the next attempt may start (retry back-off).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Why the previous attempt failed.</summary>
    public FailureInfo? LastFailure { get; init; }
}
