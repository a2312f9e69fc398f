using System.Text.Json;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>The commit that starts a run: the instance row and the <c>WorkflowStarted</c> event, with a wake-up in the outbox.</summary>
internal static class StartCommit
{
    /// <summary>Builds the commit; <paramref name="replacing"/> is the instance row the new run replaces (its ETag is the fence), null for a new ID.</summary>
    public static WorkflowCommit Build(
        string workflowId, string runId, string workflowType, string taskQueue, JsonElement? input, DateTimeOffset now, InstanceRecord? replacing, ParentLink? parent)
    {
        var started = new WorkflowStarted
        {
            EventId = 1, Timestamp = now, WorkflowType = workflowType, TaskQueue = taskQueue, Input = input, RandomSeed = Random.Shared.Next(),
        };
        var instance = new InstanceRecord
        {
            WorkflowId = workflowId, RunId = runId, WorkflowType = workflowType, TaskQueue = taskQueue, Status = WorkflowStatus.Running,
            CreatedAt = now, LastEventId = 1, OutboxPending = true, ETag = replacing?.ETag, Parent = parent,
            Outbox = [new OutboundMessage(QueueNames.Workflow(taskQueue), new TaskMessage { Kind = TaskKind.Workflow, WorkflowId = workflowId, RunId = runId })],
        };
        return new WorkflowCommit { Instance = instance, NewEvents = [started] };
    }
}
