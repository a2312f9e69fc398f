namespace ServerlessFlow;

/// <summary>Options for starting a workflow through <see cref="IWorkflowClient"/>.</summary>
public sealed record StartWorkflowOptions
{
    /// <summary>Workflow ID; a new GUID when null. Any text up to 256 characters except control characters.</summary>
    public string? Id { get; init; }

    /// <summary>Task queue whose workers run the workflow; "default" when null.</summary>
    public string? TaskQueue { get; init; }

    /// <summary>Whether the ID of a closed workflow may be used again.</summary>
    public WorkflowIdReusePolicy IdReusePolicy { get; init; } = WorkflowIdReusePolicy.AllowDuplicate;

    /// <summary>What to do when a run with the ID is still open.</summary>
    public WorkflowIdConflictPolicy IdConflictPolicy { get; init; } = WorkflowIdConflictPolicy.Fail;

    /// <summary>Unindexed metadata returned by describe (at most 64 KiB as JSON); copied to runs that continue as new.</summary>
    public IReadOnlyDictionary<string, object?>? Memo { get; init; }

    /// <summary>Indexed metadata that listing can filter on: registered names with values of their type (see <see cref="SearchAttributeType"/>).</summary>
    public IReadOnlyDictionary<string, object?>? SearchAttributes { get; init; }

    /// <summary>
    /// How long after the start the run's first workflow task is delivered (Temporal's <c>StartDelay</c>); null or zero for at once,
    /// at most <see cref="MaxStartDelay"/>. The run exists (and is <see cref="WorkflowStatus.Running"/>) from the start: signals,
    /// updates and cancel requests that arrive meanwhile are kept and delivered when it begins, and terminating it ends it
    /// before any of its code runs. Unlike Temporal, a signal does not end the delay early. Not applied to signal-with-start
    /// when the run is already open, nor to the runs that continue this one as new.
    /// </summary>
    public TimeSpan? StartDelay { get; init; }

    /// <summary>The longest <see cref="StartDelay"/>: a year. Later starts belong to a schedule, which can also be changed or paused meanwhile.</summary>
    public static readonly TimeSpan MaxStartDelay = TimeSpan.FromDays(365);
}

/// <summary>Whether a closed workflow's ID may start a new run (Temporal's ID reuse policy).</summary>
public enum WorkflowIdReusePolicy
{
    /// <summary>Always allowed.</summary>
    AllowDuplicate,

    /// <summary>Allowed only if the last run did not complete successfully (failed, canceled, terminated or timed out).</summary>
    AllowDuplicateFailedOnly,

    /// <summary>Never allowed: the ID names one run forever.</summary>
    RejectDuplicate,
}

/// <summary>What a start does when a run with the ID is open (Temporal's ID conflict policy).</summary>
public enum WorkflowIdConflictPolicy
{
    /// <summary>The start fails with <see cref="WorkflowAlreadyStartedException"/>.</summary>
    Fail,

    /// <summary>The start returns the open run instead of starting one.</summary>
    UseExisting,

    /// <summary>The open run is terminated and a new one started.</summary>
    TerminateExisting,
}
