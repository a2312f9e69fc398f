namespace ServerlessFlow.Engine.Backend;

/// <summary>Start the child workflow a parent scheduled.</summary>
public sealed record StartChildMessage : TaskMessage
{
    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.StartChild;

    /// <inheritdoc/>
    public override string Subject => WorkflowId;

    /// <summary>The parent's workflow ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The parent's run.</summary>
    public required string RunId { get; init; }

    /// <summary>The parent's <c>ChildWorkflowScheduled</c> event.</summary>
    public required long ScheduledEventId { get; init; }

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => (WorkflowId, RunId);

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => new(WorkflowId, RunId, ScheduledEventId, ScheduledEventId, $"the start of the child workflow of event {ScheduledEventId}");
}

/// <summary>Tell a child's parent that the child closed.</summary>
public sealed record ChildClosedMessage : TaskMessage
{
    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.ChildClosed;

    /// <inheritdoc/>
    public override string Subject => WorkflowId;

    /// <summary>The child's workflow ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The child's run that closed.</summary>
    public required string RunId { get; init; }

    /// <summary>The closing event of the child's run; null in messages sent by earlier versions.</summary>
    public long? ClosingEventId { get; init; }

    /// <summary>
    /// The closed run's parent. With the run and its closing event the report is exact even when the child's ID has moved on to
    /// another run by the time it is handled. Null in messages sent by earlier versions, which are reported while the run still
    /// holds the ID.
    /// </summary>
    public ParentLink? Parent { get; init; }

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => (WorkflowId, RunId);

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => Parent is { } parent
        ? new(parent.WorkflowId, parent.RunId, parent.ScheduledEventId, parent.ScheduledEventId, $"the report of child workflow '{WorkflowId}' that it closed")
        : null;
}

/// <summary>Apply a closed parent's policy to a child it started.</summary>
public sealed record ParentClosedMessage : TaskMessage
{
    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.ParentClosed;

    /// <inheritdoc/>
    public override string Subject => WorkflowId;

    /// <summary>The child's workflow ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The parent's run that closed (the child's link names it).</summary>
    public required string ParentRunId { get; init; }

    /// <summary>The parent's <c>ChildWorkflowScheduled</c> event (the child's link names it).</summary>
    public required long ScheduledEventId { get; init; }

    /// <summary>What to do to the child.</summary>
    public required ParentClosePolicy Policy { get; init; }

    /// <summary>How many times the policy was tried (a child between two runs of a continue-as-new is waited for); null before the first wait.</summary>
    public int? Attempt { get; init; }

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => (WorkflowId, null); // the run it names is the parent's

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => null;
}

/// <summary>
/// Deliver a signal or cancellation request that workflow code addressed to another workflow, and report the outcome back to
/// the requester.
/// </summary>
public sealed record ExternalRequestMessage : TaskMessage
{
    /// <inheritdoc/>
    public override TaskKind Kind => TaskKind.ExternalRequest;

    /// <inheritdoc/>
    public override string Subject => WorkflowId;

    /// <summary>The requesting workflow's ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The requesting run.</summary>
    public required string RunId { get; init; }

    /// <summary>The requesting event (<c>ExternalWorkflowSignalRequested</c> or <c>ExternalWorkflowCancelRequested</c>).</summary>
    public required long RequestEventId { get; init; }

    /// <inheritdoc/>
    internal override (string WorkflowId, string? RunId)? WorksFor => (WorkflowId, RunId);

    /// <inheritdoc/>
    internal override WaitingRun? WaitedOnBy => new(WorkflowId, RunId, RequestEventId, RequestEventId, $"the request to another workflow of event {RequestEventId}");
}
