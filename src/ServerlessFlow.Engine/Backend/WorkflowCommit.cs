using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// Everything one workflow task changes, applied atomically: the new instance row (conditioned on
/// <see cref="InstanceRecord.ETag"/> of <see cref="Instance"/>, or on the row not existing when it is null),
/// the history appended, the inbox rows consumed, and the activity rows created and deleted.
/// </summary>
public sealed record WorkflowCommit
{
    /// <summary>The new instance row. Its ETag is the one the commit expects; null means "insert, fail if it exists".</summary>
    public required InstanceRecord Instance { get; init; }

    /// <summary>Events appended to the history of <c>Instance.RunId</c>, consecutive, ending at <c>Instance.LastEventId</c>.</summary>
    public IReadOnlyList<HistoryEvent> NewEvents { get; init; } = [];

    /// <summary>Inbox keys whose rows this commit consumed.</summary>
    public IReadOnlyList<string> ConsumedInbox { get; init; } = [];

    /// <summary>Activity rows to create.</summary>
    public IReadOnlyList<ActivityTaskRecord> NewActivities { get; init; } = [];

    /// <summary>Activity rows to delete (their outcome was consumed), by scheduled event ID within <c>Instance.RunId</c>.</summary>
    public IReadOnlyList<long> DeletedActivities { get; init; } = [];

    /// <summary>
    /// When true, the commit applies only if no inbox item was added since <c>Instance.InboxETag</c> was read (a null token
    /// counts as changed); otherwise it fails like a lost fence and nothing is written. A workflow task sets it on the commit
    /// that closes its run, so that a signal, update or cancel request accepted meanwhile is handled instead of being
    /// discarded with the closed run's inbox (Temporal refuses such a close as an unhandled command). Other commits leave
    /// it unset, so producers never make them fail.
    /// </summary>
    public bool FenceInbox { get; init; }
}

/// <summary>What a workflow task reads: the instance row, its inbox, and history after a known event.</summary>
public sealed record WorkflowSnapshot
{
    /// <summary>The instance row with its ETag.</summary>
    public required InstanceRecord Instance { get; init; }

    /// <summary>Every inbox row of the workflow, oldest first.</summary>
    public required IReadOnlyList<InboxItem> Inbox { get; init; }

    /// <summary>History of the current run with event IDs above the requested one and at most <c>Instance.LastEventId</c>.</summary>
    public required IReadOnlyList<HistoryEvent> History { get; init; }

    /// <summary>The event ID after which <see cref="History"/> starts (0 when it is the whole history).</summary>
    public required long HistoryAfter { get; init; }
}
