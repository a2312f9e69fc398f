namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// The visibility index: one entry per workflow ID (its current run) that listing and filtering read
/// instead of the workflow table. Written after commits, so it is eventually consistent with the
/// instance rows; <see cref="VisibilityRecord.Version"/> makes late or repeated writes harmless.
/// Every method is safe to call from any number of processes at once.
/// </summary>
public interface IVisibilityStore
{
    /// <summary>Creates the index's table; idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="record"/> as the workflow's entry unless the stored entry has a version
    /// at least as high (then nothing changes). Idempotent; resolves races between writers itself.
    /// </summary>
    Task UpsertAsync(VisibilityRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// One page of entries matching every filter of <paramref name="query"/>, newest start first. Search attribute
    /// filter values come typed as in <see cref="VisibilityRecord.SearchAttributes"/> (the engine converts them).
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">The continuation token is malformed, or the query cannot be served.</exception>
    Task<VisibilityPage> QueryAsync(WorkflowListQuery query, CancellationToken cancellationToken);

    /// <summary>Removes the workflow's entry if its version is at most <paramref name="maxVersion"/> (a newer run keeps its entry).</summary>
    Task DeleteAsync(string workflowId, long maxVersion, CancellationToken cancellationToken);

    /// <summary>Closed entries whose close time is before <paramref name="cutoff"/>, oldest close first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<VisibilityRecord>> FindClosedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken);
}

/// <summary>What the index knows of a workflow's current run.</summary>
public sealed record VisibilityRecord
{
    /// <summary>The workflow ID.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The current run.</summary>
    public required string RunId { get; init; }

    /// <summary>The workflow type.</summary>
    public required string WorkflowType { get; init; }

    /// <summary>The task queue.</summary>
    public required string TaskQueue { get; init; }

    /// <summary>The status.</summary>
    public required WorkflowStatus Status { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run closed; null while open.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>History events of the run.</summary>
    public required long HistoryLength { get; init; }

    /// <summary>Orders writes about one workflow ID (<see cref="InstanceRecord.Version"/>): higher wins.</summary>
    public required long Version { get; init; }

    /// <summary>Set while the run is suspended.</summary>
    public WorkflowSuspension? Suspension { get; init; }

    /// <summary>Search attributes, typed: string (Keyword), long (Int), double (Double), bool (Bool), DateTimeOffset in UTC (Datetime).</summary>
    public IReadOnlyDictionary<string, object> SearchAttributes { get; init; } = new Dictionary<string, object>();
}

/// <summary>One page of index entries.</summary>
/// <param name="Items">The entries, newest start first.</param>
/// <param name="ContinuationToken">Token for the next page; null on the last.</param>
public sealed record VisibilityPage(IReadOnlyList<VisibilityRecord> Items, string? ContinuationToken);
