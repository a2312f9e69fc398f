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
        var parsed = TaskMessage.TryParse(message.Body);
        if (parsed is null)
        {
            Log.BadMessage(logger, message.MessageId, message.Queue);
            return TaskOutcome.DeadLetter("The message body is not a ServerlessFlow task message (expected JSON with at least 'k' and 'w').");
        }

        // Counted before the message is handled again: a message that kills every process handling it must still end here.
        var unfinished = DeliveryCount.Unfinished(message, parsed);
        var task = DeliveryCount.Carried(message, parsed);
        if (unfinished > 0 && task.Failures >= options.MaxDeliveries)
        {
            return TaskOutcome.DeadLetter(
                $"Delivered {message.DequeueCount} times; the handling of {unfinished} of those deliveries never ended (the process handling it died, " +
                $"or hung past its lease), and {task.Failures} failed deliveries reach the limit of {options.MaxDeliveries}.");
        }

        if (task.Kind is TaskKind.Activity or TaskKind.ActivityTimeout or TaskKind.ExternalRequest && (task.RunId is null || task.ScheduledEventId is null))
        {
            return TaskOutcome.DeadLetter($"{task.Kind} message for workflow '{task.WorkflowId}' lacks its run ID or scheduled event ID.");
        }

        if (task.Kind is TaskKind.ActivityCheck && task.RunId is null)
        {
            return TaskOutcome.DeadLetter($"{task.Kind} message for workflow '{task.WorkflowId}' lacks its run ID.");
        }

        ServerlessFlowTelemetry.RecordQueueLag(message.Queue, task, message.DequeueCount, time.GetUtcNow());

        // Scopes belong to the logger factory, not this logger: every log line of the message's work (the engine's, the activity's own) carries the IDs.
        using var logScope = task.Kind is TaskKind.Schedule or TaskKind.Retention ? null : WorkflowLogScope.Begin(logger, task.WorkflowId, task.RunId);
        try
        {
            return task.Kind switch
            {
                TaskKind.Workflow => await workflows.HandleAsync(task, message.DequeueCount, cancellationToken),
                TaskKind.Activity => await activities.HandleAsync(task, cancellationToken),
                TaskKind.ActivityTimeout => await activityTimeouts.HandleAsync(task, cancellationToken),
                TaskKind.ActivityCheck => await activityChecks.HandleAsync(task, cancellationToken),
                TaskKind.StartChild or TaskKind.ChildClosed or TaskKind.ParentClosed => await children.HandleAsync(task, cancellationToken),
                TaskKind.ExternalRequest => await externalRequests.HandleAsync(task, cancellationToken),
                TaskKind.Schedule => await schedules.HandleAsync(task, cancellationToken),
                TaskKind.Retention => await retention.HandleAsync(cancellationToken),
                _ => TaskOutcome.DeadLetter($"Unknown task kind {(int)task.Kind}."),
            };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Only failures count toward dead-lettering, not benign retries (back-offs, timers), so the count travels in the message.
            Log.HandlerFailed(logger, task.WorkflowId, message.MessageId, message.Queue, e);
            var failures = (task.Failures ?? 0) + 1;
            return failures >= options.MaxDeliveries
                ? TaskOutcome.DeadLetter($"Handling failed {failures} times; last error {e.GetType().FullName}: {e.Message}")
                : TaskOutcome.RetryAs(task with { Failures = failures }, RetryBackoff.After(failures));
        }
    }
}
