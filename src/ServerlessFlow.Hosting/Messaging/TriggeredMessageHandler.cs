using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.Hosting.Configuration;

namespace ServerlessFlow.Hosting.Messaging;

/// <summary>
/// Runs task messages for hosts whose queue trigger owns the message (Azure Functions): the trigger
/// deletes the message when the call returns and redelivers it when the call throws, so the engine's
/// <see cref="TaskOutcome"/> becomes an action here instead of a delete or a visibility change.
/// </summary>
public sealed class TriggeredMessageHandler
{
    private readonly ITaskHandler handler;
    private readonly ITaskQueues queues;
    private readonly TaskQueueBindings bindings;
    private readonly ILogger<TriggeredMessageHandler> logger;

    internal TriggeredMessageHandler(ITaskHandler handler, ITaskQueues queues, TaskQueueBindings bindings, ILogger<TriggeredMessageHandler> logger)
    {
        this.handler = handler;
        this.queues = queues;
        this.bindings = bindings;
        this.logger = logger;
    }

    /// <summary>Handles a message of the workflow-task queue named by <see cref="HostingSettingNames.WorkflowQueue"/>.</summary>
    /// <exception cref="Exception">Any unexpected fault: let it propagate, so that the trigger redelivers the message.</exception>
    public Task HandleWorkflowMessageAsync(QueueMessage message, CancellationToken cancellationToken) =>
        HandleAsync(bindings.WorkflowQueue, message, cancellationToken);

    /// <summary>Handles a message of the activity-task queue named by <see cref="HostingSettingNames.ActivityQueue"/>.</summary>
    /// <exception cref="Exception">Any unexpected fault: let it propagate, so that the trigger redelivers the message.</exception>
    public Task HandleActivityMessageAsync(QueueMessage message, CancellationToken cancellationToken) =>
        HandleAsync(bindings.ActivityQueue, message, cancellationToken);

    /// <summary>
    /// Handles one message of logical queue <paramref name="queue"/> and applies the outcome:
    /// completed → return (the trigger deletes it); retry → send a delayed copy, then return;
    /// dead-letter → move it to the dead-letter store.
    /// </summary>
    public async Task HandleAsync(string queue, QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var received = new ReceivedMessage(queue, message.MessageId, message.PopReceipt, message.Body.ToString(), message.DequeueCount);
        var outcome = await handler.HandleAsync(received, cancellationToken);
        switch (outcome)
        {
            case TaskOutcome.RetryOutcome retry when TaskMessage.TryParse(received.Body) is { } parsed:
                // The trigger cannot delay its own message, so a copy carries the delay. Its dequeue count
                // starts again at 1: the engine's own counts (attempts, and failures carried in the message) bound the retries.
                var delay = Redelivery.DelayOf(retry, queues);
                await queues.SendAsync(queue, retry.Replacement ?? Redelivery.Carried(received, parsed), delay, cancellationToken);
                Log.MessageRetried(logger, received.MessageId, queue, parsed.Subject, delay);
                break;
            case TaskOutcome.RetryOutcome:
                await DeadLetterAsync(received, "The message asked for a retry but its body is not a task message.", cancellationToken);
                break;
            case TaskOutcome.DeadLetterOutcome dead:
                await DeadLetterAsync(received, dead.Reason, cancellationToken);
                break;
            default:
                break;
        }
    }

    private async Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        await queues.DeadLetterAsync(message, reason, cancellationToken);
        Log.MessageDeadLettered(logger, message.MessageId, message.Queue, TaskMessage.TryParse(message.Body)?.Subject ?? "?", reason);
    }
}
