using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Activities;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Diagnostics;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// Routes a queue message to the workflow or activity processor. A body that is not a task message is
/// dead-lettered at once; a message whose handling keeps failing outside user code is dead-lettered
/// after <see cref="WorkerOptions.MaxDeliveries"/> failed deliveries — never redelivered forever — and the workflow waiting on it
/// says so (<see cref="DeadLetterNotice"/>).
/// </summary>
internal sealed class TaskHandler(
    WorkflowTaskProcessor workflows,
    ActivityTaskProcessor activities,
    ChildWorkflowProcessor children,
    ExternalRequestProcessor externalRequests,
    ActivityTimeoutProcessor activityTimeouts,
    ActivityCheckProcessor activityChecks,
    Schedules.ScheduleProcessor schedules,
    Retention.RetentionProcessor retention,
    DeadLetterNotice deadLetters,
    WorkerOptions options,
    TimeProvider time,
    ILogger<TaskHandler> logger) : ITaskHandler
{
    public async Task<TaskOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        var outcome = await RouteAsync(message, cancellationToken);
        if (outcome is TaskOutcome.DeadLetterOutcome dead && TaskMessage.TryParse(message.Body) is { } task)
        {
            // Nothing sends a dead letter again: the workflow waiting on it says so (describe), with the way out.
            await deadLetters.RecordAsync(message, task, dead.Reason, cancellationToken);
        }

        return outcome;
    }

    private async Task<TaskOutcome> RouteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (TaskMessage.TryParse(message.Body, out var problem) is not { } parsed)
        {
            Log.BadMessage(logger, message.MessageId, message.Queue);
            return TaskOutcome.DeadLetter($"The message body is not a ServerlessFlow task message (expected JSON with at least 'k' and 'w', and the fields its kind needs): {problem}");
        }

        // Counted before the message is handled again: a message that kills every process handling it must still end here.
        if (Redelivery.DeadLetterIfCrashing(message, parsed, options.MaxDeliveries) is { } crashing)
        {
            return crashing;
        }

        var task = Redelivery.Carried(message, parsed);
        ServerlessFlowTelemetry.RecordQueueLag(message.Queue, task, message.DequeueCount, time.GetUtcNow());

        // Scopes belong to the logger factory, not this logger: every log line of the message's work (the engine's, the activity's own) carries the IDs.
        using var logScope = task.WorksFor is var (workflowId, runId) ? WorkflowLogScope.Begin(logger, workflowId, runId) : null;
        try
        {
            return task switch
            {
                WorkflowTaskMessage wake => await workflows.HandleAsync(wake, message.DequeueCount, cancellationToken),
                ActivityTaskMessage activity => await activities.HandleAsync(activity, cancellationToken),
                ActivityTimeoutMessage check => await activityTimeouts.HandleAsync(check, cancellationToken),
                ActivityCheckMessage check => await activityChecks.HandleAsync(check, cancellationToken),
                StartChildMessage start => await children.StartChildAsync(start, cancellationToken),
                ChildClosedMessage closed => await children.ReportCloseAsync(closed, cancellationToken),
                ParentClosedMessage closed => await children.ApplyParentClosePolicyAsync(closed, cancellationToken),
                ExternalRequestMessage request => await externalRequests.HandleAsync(request, cancellationToken),
                ScheduleMessage pass => await schedules.HandleAsync(pass, cancellationToken),
                RetentionMessage => await retention.HandleAsync(cancellationToken),
                _ => throw new UnreachableException($"Task message kind {task.Kind} has no handler."),
            };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Only failures count toward dead-lettering, not benign retries (back-offs, timers), so the count travels in the message.
            Log.HandlerFailed(logger, task.Subject, message.MessageId, message.Queue, e);
            return Redelivery.AfterHandlerFailure(task, e, options.MaxDeliveries);
        }
    }
}
