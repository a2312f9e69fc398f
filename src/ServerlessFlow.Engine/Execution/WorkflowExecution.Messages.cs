using System.Text.Json;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Execution;

/// <summary>Messages from outside: which inbound events are accepted, queries, and updates.</summary>
internal sealed partial class WorkflowExecution
{
    /// <summary>
    /// False for an inbound event that history already holds or that no longer has a receiver: a signal or
    /// update whose request ID was applied, a second cancellation, an outcome of work that is not pending.
    /// Producers de-duplicate through inbox keys only while a row is unconsumed; this closes the rest.
    /// </summary>
    public bool Accepts(HistoryEvent inbound) => inbound switch
    {
        WorkflowSignaled signal => !seenRequests.Contains("s-" + signal.RequestId),
        WorkflowUpdateAccepted update => !seenRequests.Contains("u-" + update.UpdateId),
        WorkflowCancelRequested => !IsCancellationRequested,
        ActivityCompleted c => activities.ContainsKey(c.ScheduledEventId) || abandoned.Contains(c.ScheduledEventId),
        ActivityFailed f => activities.ContainsKey(f.ScheduledEventId) || abandoned.Contains(f.ScheduledEventId),
        ChildWorkflowCompleted c => children.ContainsKey(c.ScheduledEventId) || abandoned.Contains(c.ScheduledEventId),
        ChildWorkflowFailed f => children.ContainsKey(f.ScheduledEventId) || abandoned.Contains(f.ScheduledEventId),
        ChildWorkflowStarted s => children.TryGetValue(s.ScheduledEventId, out var child) && !child.HasStarted,
        ExternalWorkflowRequestCompleted c => externalRequests.ContainsKey(c.RequestedEventId) || abandoned.Contains(c.RequestedEventId),
        ExternalWorkflowRequestFailed f => externalRequests.ContainsKey(f.RequestedEventId) || abandoned.Contains(f.RequestedEventId),
        _ => true,
    };

    /// <summary>Answers a query from the current state. Queries must not change state or wait.</summary>
    public JsonElement? Query(string queryName, JsonElement? argument)
    {
        if (!definition.Queries.TryGetValue(queryName, out var invoker))
        {
            throw new InvalidWorkflowRequestException(
                $"Workflow type '{definition.Name}' has no query '{queryName}'. Its queries: {string.Join(", ", definition.Queries.Keys.Order(StringComparer.Ordinal))}.");
        }

        var target = workflow ?? throw new InvalidOperationException($"Workflow '{Info.WorkflowId}' has not started running yet.");
        var arguments = Arguments($"query '{queryName}'", argument);
        object? value;
        try
        {
            value = invoker.ResultOf(invoker.Invoke(target, arguments, CancellationToken.None));
        }
        catch (Exception e) when (!arguments.Unreadable)
        {
            throw new InvalidWorkflowRequestException($"Query '{queryName}' of workflow '{Info.WorkflowId}' failed: {e.Message}", e);
        }

        return PayloadJson.ToElement(value);
    }

    /// <summary>Runs the update validator against the current state; throws <see cref="WorkflowUpdateFailedException"/> when it rejects.</summary>
    public void ValidateUpdate(string updateName, JsonElement? argument)
    {
        if (!definition.Updates.ContainsKey(updateName))
        {
            throw new InvalidWorkflowRequestException(
                $"Workflow type '{definition.Name}' has no update '{updateName}'. Its updates: {string.Join(", ", definition.Updates.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (!definition.Invokers.UpdateValidators.TryGetValue(updateName, out var validator))
        {
            return;
        }

        var target = workflow ?? throw new InvalidOperationException($"Workflow '{Info.WorkflowId}' has not started running yet.");
        var arguments = Arguments($"validator of update '{updateName}'", argument);
        try
        {
            validator.Invoke(target, arguments, CancellationToken.None);
        }
        catch (Exception e) when (!arguments.Unreadable)
        {
            throw new WorkflowUpdateFailedException(Info.WorkflowId, updateName, rejected: true, FailureInfo.FromException(e));
        }
    }

    private void StartUpdate(WorkflowUpdateAccepted update)
    {
        var invoker = definition.Updates[update.UpdateName];
        Schedule(() => Call(() => Invoke(invoker, $"update '{update.UpdateName}'", update.Input)).ContinueWith(
            done => pending.Enqueue(done.Exception?.InnerException is { } error
                ? new CompleteUpdateCommand(update.UpdateId, null, FailureInfo.FromException(error))
                : new CompleteUpdateCommand(update.UpdateId, PayloadJson.ToElement(invoker.ResultOf(done)), null)),
            CancellationToken.None, TaskContinuationOptions.None, scheduler));
    }
}
