namespace ServerlessFlow.Engine.Execution;

/// <summary>
/// The workflow code asked for something the deployment cannot do (an unregistered search attribute, say) or left the
/// workflow scheduler (awaited a Task.Delay, blocked its thread): the workflow task fails without committing, is recorded
/// as the last task failure, and is retried — like a non-determinism error, it is fixed by deploying corrected code or
/// configuration, not by failing the workflow.
/// </summary>
internal sealed class WorkflowTaskFailureException : Exception
{
    public WorkflowTaskFailureException(string message)
        : base(message)
    {
    }

    public WorkflowTaskFailureException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
