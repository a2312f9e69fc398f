using System.Text.Json;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Execution;

/// <summary>Children and other workflows, as workflow code reaches them: starting children, and signal or cancel requests to any workflow.</summary>
internal sealed partial class WorkflowExecution
{
    Task<StartedChild> IWorkflowContext.StartChildWorkflowAsync(string workflowType, JsonElement? input, ChildWorkflowOptions options, bool reportStart)
    {
        if (TakeUndeliveredCancellation() is { } canceled)
        {
            return Task.FromException<StartedChild>(canceled);
        }

        var queue = Backend.QueueNames.Validate(options.TaskQueue ?? Info.TaskQueue);
        IReadOnlyDictionary<string, JsonElement>? memo, searchAttributes;
        try
        {
            memo = Client.PayloadLimits.CheckMemo(options.Memo);
            searchAttributes = options.SearchAttributes is { Count: > 0 } given ? attributes.Apply(new Dictionary<string, JsonElement>(), given) : null;
        }
        catch (InvalidWorkflowRequestException e)
        {
            taskFailure ??= e; // a deployment mistake: the task fails and is retried, as for an invalid upsert
            return new TaskCompletionSource<StartedChild>().Task;
        }

        var child = new ChildAwaiters();
        pending.Enqueue(new ScheduleChildCommand(
            Info.WorkflowId, Info.RunId, workflowType, input, queue, options, memo, searchAttributes, reportStart, (id, childId) =>
            {
                child.ChildId = childId;
                children[id] = child;
            }));
        return child.Started;
    }

    Task IWorkflowContext.SignalExternalWorkflowAsync(string workflowId, string? runId, string signalName, JsonElement? input)
    {
        if (TakeUndeliveredCancellation() is { } canceled)
        {
            return Task.FromException(canceled);
        }

        var awaiter = new TaskCompletionSource();
        pending.Enqueue(new SignalExternalCommand(workflowId, runId, signalName, input, id => externalRequests[id] = (workflowId, awaiter)));
        return awaiter.Task;
    }

    Task IWorkflowContext.CancelExternalWorkflowAsync(string workflowId, string? runId)
    {
        if (TakeUndeliveredCancellation() is { } canceled)
        {
            return Task.FromException(canceled);
        }

        var awaiter = new TaskCompletionSource();
        pending.Enqueue(new CancelExternalCommand(workflowId, runId, id => externalRequests[id] = (workflowId, awaiter)));
        return awaiter.Task;
    }

    private string FirstRunIdOf(long scheduledEventId) => ChildAwaiters.FirstRunId(Info.RunId, scheduledEventId);

    /// <summary>A start report for a child that is no longer pending (its outcome overtook the report) changes nothing.</summary>
    private void ChildStarted(ChildWorkflowStarted started)
    {
        if (children.TryGetValue(started.ScheduledEventId, out var child))
        {
            child.MarkStarted(started.RunId);
        }
    }

    private void ChildFailed(ChildAwaiters child, ChildWorkflowFailed failed)
    {
        var error = new ChildWorkflowFailureException(child.ChildId, failed.Status, failed.Failure);
        if (!child.HasStarted && failed.Failure.Type != ChildAwaiters.StartFailureType)
        {
            child.MarkStarted(FirstRunIdOf(failed.ScheduledEventId)); // it ran and failed: the code gets its handle, then the failure
        }

        child.Fail(error);
    }
}
