namespace ServerlessFlow;

/// <summary>
/// A running workflow held by <see cref="IWorkflowClient.SuspendWorkflowAsync"/>: it runs no workflow code and schedules no new
/// activities; signals, updates, cancellation requests, activity outcomes and timers that come due are kept and applied
/// on <see cref="IWorkflowClient.ResumeWorkflowAsync"/>. Its status stays <see cref="WorkflowStatus.Running"/>.
/// </summary>
/// <param name="SuspendedAt">When it was suspended.</param>
/// <param name="Reason">Why, as the caller said.</param>
public sealed record WorkflowSuspension(DateTimeOffset SuspendedAt, string? Reason)
{
    /// <summary>The longest reason kept: a note for operators, not a payload.</summary>
    public const int MaxReasonLength = 1_000;
}
