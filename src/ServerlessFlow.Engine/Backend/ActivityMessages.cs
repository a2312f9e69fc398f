namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// Run one activity attempt, or a batch of consecutive activities (<see cref="ScheduledEventId"/> through
/// <see cref="ThroughScheduledEventId"/>): a fan-out's activities go to other workers a batch per message, claimed and reported a
/// batch per transaction.
/// </summary>
public sealed record ActivityTaskMessage : TaskMessage
{
    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.Activity;

    /// <inheritdoc/>
    public override string Subject => WorkflowId;

    /// <summary>The workflow ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The run that scheduled the activity.</summary>
    public required string RunId { get; init; }

    /// <summary>The <c>ActivityScheduled</c> event ID (the first of a batch).</summary>
    public required long ScheduledEventId { get; init; }

    /// <summary>The last <c>ActivityScheduled</c> event of a batch of consecutive activities; null for one activity.</summary>
    public long? ThroughScheduledEventId { get; init; }

    /// <summary>The attempt this message dispatches (1 for a batch's first dispatch).</summary>
    public required int Attempt { get; init; }

    /// <summary>True when the message stands for more than one activity.</summary>
    public bool IsBatch => ThroughScheduledEventId is { } through && through > ScheduledEventId;

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => (WorkflowId, RunId);

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => new(
        WorkflowId, RunId, ScheduledEventId, ThroughScheduledEventId ?? ScheduledEventId,
        IsBatch // a batch message stands for every activity of its range (e through te): the note names them all
            ? $"the task of the batch of activity events {ScheduledEventId} through {ThroughScheduledEventId}"
            : $"the task of activity event {ScheduledEventId} (attempt {Attempt})");
}

/// <summary>
/// Check an activity's timeouts, or a batch's (<see cref="ScheduledEventId"/> through <see cref="ThroughScheduledEventId"/>).
/// Sent on the workflow queue, so it is handled even when no worker serves the activity's queue.
/// </summary>
public sealed record ActivityTimeoutMessage : TaskMessage
{
    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.ActivityTimeout;

    /// <inheritdoc/>
    public override string Subject => WorkflowId;

    /// <summary>The workflow ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The run that scheduled the activity.</summary>
    public required string RunId { get; init; }

    /// <summary>The <c>ActivityScheduled</c> event ID (the first of a batch).</summary>
    public required long ScheduledEventId { get; init; }

    /// <summary>The last <c>ActivityScheduled</c> event of a batch the check covers; null for one activity.</summary>
    public long? ThroughScheduledEventId { get; init; }

    /// <summary>The attempt the check was sent for; null for a batch's check. Informational: the check enforces whatever attempt is current.</summary>
    public int? Attempt { get; init; }

    /// <summary>True when the check covers more than one activity.</summary>
    public bool IsBatch => ThroughScheduledEventId is { } through && through > ScheduledEventId;

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => (WorkflowId, RunId);

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => new(
        WorkflowId, RunId, ScheduledEventId, ThroughScheduledEventId ?? ScheduledEventId,
        IsBatch
            ? $"the timeout check of activity events {ScheduledEventId} through {ThroughScheduledEventId}"
            : $"the timeout check of activity event {ScheduledEventId}");
}

/// <summary>
/// Check the timeouts of every open activity of a run: the one delayed safety message per workflow that covers activities run
/// eagerly by the worker that scheduled them.
/// </summary>
public sealed record ActivityCheckMessage : TaskMessage
{
    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.ActivityCheck;

    /// <inheritdoc/>
    public override string Subject => WorkflowId;

    /// <summary>The workflow ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The run whose activities it checks.</summary>
    public required string RunId { get; init; }

    /// <summary>The time the check was armed for (the instance row's <c>ActivityCheckAt</c> names the latest one armed).</summary>
    public required DateTimeOffset CheckAt { get; init; }

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => (WorkflowId, RunId);

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => new(WorkflowId, RunId, null, null, "the activity check");
}

/// <summary>Reads of the activity messages an outbox holds.</summary>
internal static class ActivityMessages
{
    /// <summary>The activity an activity task or timeout check is about (the first of a batch); null for other messages.</summary>
    public static long? ScheduledEventIdOf(TaskMessage message) => message switch
    {
        ActivityTaskMessage task => task.ScheduledEventId,
        ActivityTimeoutMessage check => check.ScheduledEventId,
        _ => null,
    };
}
