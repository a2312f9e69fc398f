using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// Makes a dead-lettered message visible on the workflow it leaves waiting. A message that is dead-lettered is not sent again by
/// anything: an activity task whose row is still scheduled, a wake-up, a child's start or its report to the parent, a request to
/// another workflow. The workflow would show Running with nothing wrong, so its instance row records the dead letter as its
/// <see cref="InstanceRecord.LastTaskFailure"/> — what was dead-lettered, why, and the way out (requeue it from the dead letters once
/// the cause is fixed). Like any task failure, the note is replaced by the workflow's next successful commit; the dead letter stays listed.
/// </summary>
internal sealed class DeadLetterNotice(IWorkflowStore store, ILogger<DeadLetterNotice> logger)
{
    /// <summary>Records the note on the waiting workflow's open run; never throws (the dead-lettering must go on).</summary>
    public async Task RecordAsync(ReceivedMessage message, TaskMessage task, string reason, CancellationToken cancellationToken)
    {
        if (Waiting(task) is not var (workflowId, runId))
        {
            return;
        }

        try
        {
            if (await store.ReadInstanceAsync(workflowId, cancellationToken) is { Status: WorkflowStatus.Running, ETag: { } etag } instance
                && (runId is null || instance.RunId == runId))
            {
                await store.RecordTaskFailureAsync(workflowId, etag, Describe(message, task, reason), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.DeadLetterNoticeFailed(logger, workflowId, message.MessageId, message.Queue, e);
        }
    }

    /// <summary>The workflow (and run) that waits on the message; null for messages nothing waits on (schedules, retention, a policy for a closed parent's child).</summary>
    private static (string WorkflowId, string? RunId)? Waiting(TaskMessage task) => task switch
    {
        ChildClosedMessage closed => closed.Parent is { } parent ? (parent.WorkflowId, parent.RunId) : null,
        WorkflowTaskMessage m => (m.WorkflowId, m.RunId),
        ActivityTaskMessage m => (m.WorkflowId, m.RunId),
        ActivityTimeoutMessage m => (m.WorkflowId, m.RunId),
        ActivityCheckMessage m => (m.WorkflowId, m.RunId),
        StartChildMessage m => (m.WorkflowId, m.RunId),
        ExternalRequestMessage m => (m.WorkflowId, m.RunId),
        _ => null,
    };

    private static string Describe(ReceivedMessage message, TaskMessage task, string reason)
    {
        var about = task switch
        {
            ActivityTaskMessage activity => $"the task of activity event {activity.ScheduledEventId} (attempt {activity.Attempt})",
            ActivityTimeoutMessage check => $"the timeout check of activity event {check.ScheduledEventId}",
            ActivityCheckMessage => "the activity check",
            StartChildMessage start => $"the start of the child workflow of event {start.ScheduledEventId}",
            ChildClosedMessage closed => $"the report of child workflow '{closed.WorkflowId}' that it closed",
            ExternalRequestMessage request => $"the request to another workflow of event {request.RequestEventId}",
            WorkflowTaskMessage { TimerAt: { } at } => $"a wake-up for the timer due at {at:O}",
            _ => "a wake-up",
        };
        return $"A message this workflow waits on, {about}, was dead-lettered and will not be sent again: {reason} " +
               $"Fix the cause, then requeue it from the dead letters (queue '{message.Queue}', message '{message.MessageId}'); the workflow goes on from there.";
    }
}
