namespace ServerlessFlow;

/// <summary>Facts about the running workflow, available through <see cref="Workflow.Info"/>.</summary>
/// <param name="WorkflowId">The workflow ID.</param>
/// <param name="RunId">The current run ID.</param>
/// <param name="WorkflowType">The workflow type name.</param>
/// <param name="TaskQueue">The task queue it runs on.</param>
public sealed record WorkflowInfo(string WorkflowId, string RunId, string WorkflowType, string TaskQueue);
