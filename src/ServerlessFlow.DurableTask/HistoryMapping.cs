using DurableTask.Core;
using ServerlessFlow.History;
using Core = DurableTask.Core.History;

namespace ServerlessFlow.DurableTask;

/// <summary>
/// ServerlessFlow's history events as Durable Task Core's, where Core has an event of the same meaning; the others (updates,
/// patches, search attributes, cancellation requests …) become <see cref="Core.GenericEvent"/>s whose data describes them.
/// Event IDs and timestamps are kept.
/// </summary>
internal static class HistoryMapping
{
    public static Core.HistoryEvent ToDurableTask(HistoryEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var id = checked((int)recorded.EventId);
        Core.HistoryEvent mapped = recorded switch
        {
            WorkflowStarted started => new Core.ExecutionStartedEvent(id, OrchestrationMapping.Json(started.Input)) { Name = started.WorkflowType },
            ActivityScheduled scheduled => new Core.TaskScheduledEvent(id, scheduled.ActivityName, version: null, OrchestrationMapping.Json(scheduled.Input)),
            ActivityCompleted completed => new Core.TaskCompletedEvent(id, checked((int)completed.ScheduledEventId), OrchestrationMapping.Json(completed.Result)),
            ActivityFailed failed => new Core.TaskFailedEvent(id, checked((int)failed.ScheduledEventId), failed.Failure.Message, failed.Failure.StackTrace, Failure(failed.Failure)),
            TimerStarted timer => new Core.TimerCreatedEvent(id, timer.FireAt.UtcDateTime),
            TimerFired fired => new Core.TimerFiredEvent(id) { TimerId = checked((int)fired.StartedEventId) },
            WorkflowSignaled signaled => new Core.EventRaisedEvent(id, OrchestrationMapping.Json(signaled.Input)) { Name = signaled.SignalName },
            WorkflowCompleted completed => new Core.ExecutionCompletedEvent(id, OrchestrationMapping.Json(completed.Result), OrchestrationStatus.Completed, failureDetails: null),
            WorkflowFailed failed => new Core.ExecutionCompletedEvent(id, result: null, OrchestrationStatus.Failed, Failure(failed.Failure)),
            WorkflowTerminated terminated => new Core.ExecutionTerminatedEvent(id, terminated.Reason),
            _ => new Core.GenericEvent(id, recorded.Describe()),
        };
        mapped.Timestamp = recorded.Timestamp.UtcDateTime;
        return mapped;
    }

    private static FailureDetails? Failure(FailureInfo? failure) =>
        failure is null ? null : new FailureDetails(failure.Type, failure.Message, failure.StackTrace, Failure(failure.Cause), failure.NonRetryable);
}
