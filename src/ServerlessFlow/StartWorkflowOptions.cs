namespace ServerlessFlow;

/// <summary>Options for starting a workflow through <see cref="IWorkflowClient"/>.</summary>
public sealed record StartWorkflowOptions
{
    /// <summary>Workflow ID; a new GUID when null. Any text up to 512 characters except control characters.</summary>
    public string? Id { get; init; }

    /// <summary>Task queue whose workers run the workflow; "default" when null.</summary>
    public string? TaskQueue { get; init; }
}
