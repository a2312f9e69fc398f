using System.Reflection;
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
        if (!definition.Queries.TryGetValue(queryName, out var member))
        {
            throw new InvalidWorkflowRequestException(
                $"Workflow type '{definition.Name}' has no query '{queryName}'. Its queries: {string.Join(", ", definition.Queries.Keys.Order(StringComparer.Ordinal))}.");
        }

        var target = workflow ?? throw new InvalidOperationException($"Workflow '{Info.WorkflowId}' has not started running yet.");
        try
        {
            var value = member switch
            {
                System.Reflection.PropertyInfo property => property.GetValue(target),
                System.Reflection.MethodInfo method => method.Invoke(target, Arguments(method, argument)),
                _ => null,
            };
            return PayloadJson.ToElement(value);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidWorkflowRequestException($"Query '{queryName}' of workflow '{Info.WorkflowId}' failed: {e.InnerException.Message}", e.InnerException);
        }
    }

    /// <summary>Runs the update validator against the current state; throws <see cref="WorkflowUpdateFailedException"/> when it rejects.</summary>
    public void ValidateUpdate(string updateName, JsonElement? argument)
    {
        if (!definition.Updates.TryGetValue(updateName, out var update))
        {
            throw new InvalidWorkflowRequestException(
                $"Workflow type '{definition.Name}' has no update '{updateName}'. Its updates: {string.Join(", ", definition.Updates.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (update.Validator is not { } validator)
        {
            return;
        }

        try
        {
            validator.Invoke(workflow ?? throw new InvalidOperationException($"Workflow '{Info.WorkflowId}' has not started running yet."), Arguments(validator, argument));
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new WorkflowUpdateFailedException(Info.WorkflowId, updateName, rejected: true, FailureInfo.FromException(e.InnerException));
        }
    }

    private void StartUpdate(WorkflowUpdateAccepted update, System.Reflection.MethodInfo handler)
    {
        Schedule(() => Call(() => handler.Invoke(workflow, BindingFlags.DoNotWrapExceptions, null, Arguments(handler, update.Input), null)).ContinueWith(
            done => pending.Enqueue(done.Exception?.InnerException is { } error
                ? new CompleteUpdateCommand(update.UpdateId, null, FailureInfo.FromException(error))
                : new CompleteUpdateCommand(update.UpdateId, handler.ReturnType.IsGenericType ? PayloadJson.ToElement(ResultOf(done)) : null, null)),
            CancellationToken.None, TaskContinuationOptions.None, scheduler));
    }
}
