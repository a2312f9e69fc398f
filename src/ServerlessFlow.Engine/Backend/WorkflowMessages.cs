namespace ServerlessFlow.Engine.Backend;

/// <summary>Run a workflow task for the workflow: new inbox rows, due timers, or a first run.</summary>
public sealed record WorkflowTaskMessage : TaskMessage
{
    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.Workflow;

    /// <inheritdoc/>
    public override string Subject => WorkflowId;

    /// <summary>The workflow ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The run the wake-up is for; null for a wake-up of whatever run is current.</summary>
    public string? RunId { get; init; }

    /// <summary>
    /// For timer wake-ups: the due time this message was sent for (a wake-up capped at the queue's delay limit arrives early and is
    /// re-armed). Null for other wake-ups.
    /// </summary>
    public DateTimeOffset? TimerAt { get; init; }

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => (WorkflowId, RunId);

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => new(WorkflowId, RunId, null, null, TimerAt is { } at ? $"a wake-up for the timer due at {at:O}" : "a wake-up");
}

/// <summary>Run a pass of a schedule: take due actions, start buffered ones after a close.</summary>
public sealed record ScheduleMessage : TaskMessage
{
    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.Schedule;

    /// <inheritdoc/>
    public override string Subject => ScheduleId;

    /// <summary>The schedule ID.</summary>
    public required string ScheduleId { get; init; }

    /// <summary>The wake time the message was sent for (a wake-up capped at the queue's delay limit arrives early); null for a pass at once.</summary>
    public DateTimeOffset? WakeAt { get; init; }

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => null;

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => null;
}

/// <summary>Run the next retention batch. About no workflow: any worker takes it.</summary>
public sealed record RetentionMessage : TaskMessage
{
    /// <summary>
    /// The workflow ID the wire form carries: workers of earlier versions refuse a message without one, so a retention message
    /// sent during a rolling upgrade must still carry it. Never read.
    /// </summary>
    internal const string WireWorkflowId = "retention";

    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.Retention;

    /// <inheritdoc/>
    public override string Subject => WireWorkflowId;

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => null;

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => null;
}
