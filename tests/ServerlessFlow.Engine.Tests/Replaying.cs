using ServerlessFlow.Engine.Execution;
using ServerlessFlow.Engine.Registry;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Fresh executions for replaying recorded histories in tests (no cache, no worker).</summary>
internal static class Replaying
{
    public static WorkflowExecution New(Type workflowClass, string workflowType, string workflowId, string runId)
    {
        var registry = WorkflowRegistry.Build([workflowClass], [typeof(FlakyActivities)]);
        return new WorkflowExecution(registry.GetWorkflow(workflowType), registry.SearchAttributes, workflowId, runId, "default");
    }
}
