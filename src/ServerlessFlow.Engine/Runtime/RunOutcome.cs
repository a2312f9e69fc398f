using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>Reads how a run ended from its closing event: one mapping for describe and for child notifications.</summary>
internal static class RunOutcome
{
    /// <summary>The status a closing event gives its run; null for an event that does not close a run (or continues it as new).</summary>
    public static WorkflowStatus? StatusOf(HistoryEvent? closing) => closing switch
    {
        WorkflowCompleted => WorkflowStatus.Completed,
        WorkflowFailed => WorkflowStatus.Failed,
        WorkflowTerminated => WorkflowStatus.Terminated,
        WorkflowCanceled => WorkflowStatus.Canceled,
        _ => null,
    };

    public static FailureInfo? FailureOf(HistoryEvent? closing) => closing switch
    {
        WorkflowFailed failed => failed.Failure,
        WorkflowTerminated terminated => new FailureInfo { Type = "Terminated", Message = terminated.Reason ?? "Terminated without a reason." },
        WorkflowCanceled canceled => new FailureInfo { Type = "Canceled", Message = canceled.Reason is { } reason ? "The workflow was canceled: " + reason : "The workflow was canceled." },
        _ => null,
    };
}
