using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Delivers what workflow code addressed to another workflow — a signal or a cancellation request, recorded in the requester's
/// history — and reports the outcome to the requester's inbox. Every step is idempotent, so a redelivered message changes
/// nothing: the signal travels under a request ID derived from the requesting run and event (the target applies it once), a
/// cancellation request is one per target run, and the report has a key of its own.
/// </summary>
internal sealed class ExternalRequestProcessor(IWorkflowStore store, OutboxSender outbox, Client.WorkflowClient client, TimeProvider time)
{
    /// <summary>The failure type of a request whose target does not exist, or whose given run is not the current one.</summary>
    public const string NotFoundFailureType = "ExternalWorkflowNotFound";

    /// <summary>The failure type of a request the target refused (it is not running, has no such signal, or the argument does not fit).</summary>
    public const string RefusedFailureType = "ExternalWorkflowRequestRefused";

    /// <summary>The message that a commit recording <paramref name="requestedEventId"/> sends after it.</summary>
    public static OutboundMessage Message(InstanceRecord requester, long requestedEventId) => new(QueueNames.Workflow(requester.TaskQueue), new ExternalRequestMessage
    {
        WorkflowId = requester.WorkflowId, RunId = requester.RunId, RequestEventId = requestedEventId,
    });

    /// <summary>
    /// The request ID of a signal or cancellation another workflow requested: the requesting run and event, so every delivery of one
    /// request is the same request to the target, and a repeat finds it recorded by this field rather than by its wording.
    /// </summary>
    public static string RequestId(string requesterRunId, long requestedEventId) => $"ext-{requesterRunId}-{requestedEventId}";

    public async Task<TaskOutcome> HandleAsync(ExternalRequestMessage message, CancellationToken cancellationToken)
    {
        var (runId, eventId) = (message.RunId, message.RequestEventId);
        var requested = await store.ReadEventAsync(message.WorkflowId, runId, eventId, cancellationToken);
        if (requested is not (null or ExternalWorkflowSignalRequested or ExternalWorkflowCancelRequested))
        {
            return TaskOutcome.DeadLetter($"Event {eventId} of workflow '{message.WorkflowId}' run {runId} is {requested.GetType().Name}, not an external workflow request.");
        }

        var outcome = requested switch
        {
            ExternalWorkflowSignalRequested signal => await DeliverAsync(signal.TargetWorkflowId, signal.TargetRunId, eventId, target =>
                client.SignalWorkflowAsync(target.WorkflowId, signal.SignalName, signal.Input, RequestId(runId, eventId), cancellationToken), cancellationToken),
            ExternalWorkflowCancelRequested cancel => await DeliverAsync(cancel.TargetWorkflowId, cancel.TargetRunId, eventId, async target =>
            {
                var reason = $"Requested by workflow '{message.WorkflowId}'.";
                var requestId = RequestId(runId, eventId);
                if (!await client.CancelWorkflowAsync(target.WorkflowId, reason, requestId, cancellationToken) && !await CancelRecordedAsync(target, requestId, cancellationToken))
                {
                    throw new InvalidWorkflowRequestException($"Workflow '{target.WorkflowId}' is {target.Status}; only running workflows can be canceled.");
                }
            }, cancellationToken),
            _ => null, // the requester's history is gone (purged): there is nobody left to tell
        };

        if (outcome is not null)
        {
            await ReportAsync(message.WorkflowId, runId, eventId, outcome, cancellationToken);
        }

        return TaskOutcome.Completed;
    }

    private async Task<HistoryEvent> DeliverAsync(string targetId, string? targetRunId, long eventId, Func<InstanceRecord, Task> deliver, CancellationToken cancellationToken)
    {
        var target = await store.ReadInstanceAsync(targetId, cancellationToken);
        if (target is null || (targetRunId is not null && target.RunId != targetRunId))
        {
            var what = targetRunId is null ? $"Workflow '{targetId}' does not exist." : $"Workflow '{targetId}' has no current run '{targetRunId}'.";
            return Failed(eventId, NotFoundFailureType, what);
        }

        try
        {
            await deliver(target);
            return new ExternalWorkflowRequestCompleted { RequestedEventId = eventId };
        }
        catch (WorkflowNotFoundException e)
        {
            return Failed(eventId, NotFoundFailureType, e.Message);
        }
        catch (InvalidWorkflowRequestException e)
        {
            return Failed(eventId, RefusedFailureType, e.Message);
        }
    }

    /// <summary>
    /// True when the target run already recorded this request: an earlier delivery of the message made it and then stopped short of
    /// its report (the process died), and the run has closed since — the request was delivered, whatever the repeat finds.
    /// </summary>
    private async Task<bool> CancelRecordedAsync(InstanceRecord target, string requestId, CancellationToken cancellationToken) =>
        (await store.ReadHistoryAsync(target.WorkflowId, target.RunId, 0, cancellationToken)).OfType<WorkflowCancelRequested>().Any(c => c.RequestId == requestId);

    private static ExternalWorkflowRequestFailed Failed(long eventId, string type, string message) =>
        new() { RequestedEventId = eventId, Failure = new FailureInfo { Type = type, Message = message, NonRetryable = true } };

    private async Task ReportAsync(string requesterId, string runId, long eventId, HistoryEvent outcome, CancellationToken cancellationToken)
    {
        var requester = await store.ReadInstanceAsync(requesterId, cancellationToken);
        if (requester is not { Status: WorkflowStatus.Running } || requester.RunId != runId)
        {
            return; // the requesting run has closed: the request was made, and nobody awaits its outcome
        }

        var item = new InboxItem { Key = $"x-{runId}-{eventId}", RunId = runId, Event = outcome, CreatedAt = time.GetUtcNow() };
        await store.AddInboxAsync(requesterId, item, cancellationToken);
        await outbox.SendOneAsync(QueueNames.Workflow(requester.TaskQueue), new WorkflowTaskMessage { WorkflowId = requesterId, RunId = runId }, null, cancellationToken);
    }
}
