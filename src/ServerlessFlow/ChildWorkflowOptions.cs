namespace ServerlessFlow;

/// <summary>Options of a child workflow started from a workflow.</summary>
public sealed record ChildWorkflowOptions
{
    /// <summary>The child's workflow ID; "{parent ID}-child-{parent run ID}-{event ID}" when null, which is deterministic and differs between the runs of a continue-as-new chain.</summary>
    public string? Id { get; init; }

    /// <summary>The child's task queue; the parent's when null.</summary>
    public string? TaskQueue { get; init; }

    /// <summary>What happens to the child if the parent closes first.</summary>
    public ParentClosePolicy ParentClosePolicy { get; init; } = ParentClosePolicy.Terminate;

    /// <summary>The child's memo (unindexed metadata returned by describe).</summary>
    public IReadOnlyDictionary<string, object?>? Memo { get; init; }

    /// <summary>The child's search attributes (registered names, values of their types).</summary>
    public IReadOnlyDictionary<string, object?>? SearchAttributes { get; init; }
}

/// <summary>What happens to an open child when its parent closes (Temporal's parent close policy).</summary>
public enum ParentClosePolicy
{
    /// <summary>The child is terminated.</summary>
    Terminate,

    /// <summary>The child is asked to cancel and may clean up.</summary>
    RequestCancel,

    /// <summary>The child runs on, on its own.</summary>
    Abandon,
}
