using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// Durable state of workflows. Everything about one workflow ID lives together (one Azure table
/// partition) so that <see cref="CommitAsync"/> is a single atomic write fenced by the instance row.
/// Transient faults are retried inside the implementation; every other storage failure surfaces as a
/// <see cref="StoreException"/>. Every method is safe to call from any number of processes at once.
/// </summary>
public interface IWorkflowStore
{
    /// <summary>Creates tables or whatever the store needs; idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads the instance row; null if the workflow does not exist.</summary>
    Task<InstanceRecord?> ReadInstanceAsync(string workflowId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the instance row, every inbox row, and the current run's history events with IDs in
    /// (<paramref name="historyAfter"/>, <c>LastEventId</c>] — in one round trip where the store allows.
    /// Pass <paramref name="historyAfter"/> = 0 with any <paramref name="runId"/> for the whole history;
    /// when <paramref name="runId"/> is not the current run the whole history is returned.
    /// The instance carries the inbox token read with the inbox (<see cref="InstanceRecord.InboxETag"/>).
    /// Null if the workflow does not exist.
    /// </summary>
    Task<WorkflowSnapshot?> LoadAsync(string workflowId, string? runId, long historyAfter, CancellationToken cancellationToken);

    /// <summary>Reads a run's history events with IDs above <paramref name="afterEventId"/>, in order, up to the committed last event.</summary>
    Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string workflowId, string runId, long afterEventId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one committed history event: the caller knows the run committed it — it read an instance row of that run whose
    /// <c>LastEventId</c> is at least <paramref name="eventId"/>, or holds a message sent after the commit that recorded it. The read
    /// is not fenced again (a point read where the store allows): a row above the committed last event, which a commit that lost its
    /// race may leave, is not told apart here; read uncommitted ranges with <see cref="LoadAsync"/> or <see cref="ReadHistoryAsync"/>.
    /// Null if the event does not exist (the workflow was purged, or the run never had it).
    /// </summary>
    Task<HistoryEvent?> ReadEventAsync(string workflowId, string runId, long eventId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a commit atomically. Returns the stored instance (with its new ETag), or null when the
    /// fence failed: the instance row changed (or exists, for an insert), or, for a commit with
    /// <see cref="WorkflowCommit.FenceInbox"/>, an inbox item was added since its token was read — nothing was
    /// written. A commit whose first event is event 1 (it starts a run) returns a fresh inbox token. A commit
    /// whose outcome was ambiguous (the connection broke) is resolved by the store, not re-applied blindly.
    /// </summary>
    Task<InstanceRecord?> CommitAsync(WorkflowCommit commit, CancellationToken cancellationToken);

    /// <summary>Sets <c>OutboxPending</c> to false if the instance row still has <paramref name="etag"/>; false otherwise. Never throws on a conflict.</summary>
    Task<bool> ClearOutboxAsync(string workflowId, string etag, CancellationToken cancellationToken);

    /// <summary>Records a workflow task failure on the instance row without touching history; ignores conflicts.</summary>
    Task RecordTaskFailureAsync(string workflowId, string etag, string failure, CancellationToken cancellationToken);

    /// <summary>Inserts an inbox row and changes the inbox token; false (and no change) when a row with that key already exists.</summary>
    Task<bool> AddInboxAsync(string workflowId, InboxItem item, CancellationToken cancellationToken);

    /// <summary>Reads an activity row; null if it does not exist (never scheduled, or its outcome was consumed).</summary>
    Task<ActivityTaskRecord?> ReadActivityAsync(string workflowId, string runId, long scheduledEventId, CancellationToken cancellationToken);

    /// <summary>Reads every activity row of a run (one query where the store allows), in scheduled event order.</summary>
    Task<IReadOnlyList<ActivityTaskRecord>> ReadActivitiesAsync(string workflowId, string runId, CancellationToken cancellationToken);

    /// <summary>Reads the activity rows of a run with scheduled event IDs from <paramref name="first"/> through <paramref name="last"/> (one query where the store allows), in order.</summary>
    Task<IReadOnlyList<ActivityTaskRecord>> ReadActivitiesAsync(string workflowId, string runId, long first, long last, CancellationToken cancellationToken);

    /// <summary>Replaces an activity row if its ETag is current; returns the stored row, or null on a conflict or when it no longer exists.</summary>
    Task<ActivityTaskRecord?> UpdateActivityAsync(ActivityTaskRecord activity, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically replaces the activity row (ETag-guarded) and inserts the outcome into the inbox (changing the inbox token).
    /// False when the row changed, is gone, or the outcome is already there — nothing was written then.
    /// </summary>
    Task<bool> CloseActivityAsync(ActivityTaskRecord activity, InboxItem outcome, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces several activity rows of one run, each guarded by its ETag, in as few atomic writes as the store's limits allow
    /// (a batch of a fan-out claimed at once). Returns the rows stored, with their new ETags; a row left out was not written (a row
    /// of its write had changed or was gone, which leaves the whole write out). Never throws on a conflict.
    /// </summary>
    Task<IReadOnlyList<ActivityTaskRecord>> UpdateActivitiesAsync(IReadOnlyList<ActivityTaskRecord> activities, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CloseActivityAsync"/> for several activities of one run, in as few atomic writes as the store's limits allow, each
    /// changing the inbox token. Returns the activities closed (by their scheduled event IDs); one left out was not closed by this call
    /// (a row of its write had changed or was gone, or an outcome was already there): the caller closes it alone to learn which.
    /// </summary>
    Task<IReadOnlySet<long>> CloseActivitiesAsync(IReadOnlyList<(ActivityTaskRecord Activity, InboxItem Outcome)> closes, CancellationToken cancellationToken);

    /// <summary>One page of instances, newest first, filtered.</summary>
    Task<InstancePage> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// IDs of workflows that may be stuck: an outbox still pending, or an inbox row, older than <paramref name="olderThan"/>, or an
    /// open, unsuspended run's earliest pending timer due before it (its wake-up was lost). The recovery sweep wakes them; at most
    /// <paramref name="max"/>. Costs what one query costs when nothing is found: the sweep runs on every worker, idle or not.
    /// </summary>
    Task<IReadOnlyList<string>> FindStalledAsync(DateTimeOffset olderThan, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a closed workflow's partition — every run's history, inbox, activity and continuation rows —
    /// at most <paramref name="maxDeletes"/> rows per call, and the instance row last, fenced by the ETag it
    /// read first, so a run started meanwhile is never touched. Never deletes anything of an open run.
    /// </summary>
    /// <param name="workflowId">The workflow.</param>
    /// <param name="runId">The closed run to purge: if another run is current, nothing is deleted (<see cref="PurgeOutcome.RunChanged"/>).</param>
    /// <param name="maxDeletes">Row budget of this call (at least 100).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PurgeOutcome> PurgeAsync(string workflowId, string runId, int maxDeletes, CancellationToken cancellationToken);

    /// <summary>
    /// Throws <see cref="InvalidWorkflowRequestException"/> when this store could not key <paramref name="workflowId"/> (too long once
    /// escaped, say), with no I/O. Every read and write checks the same; this is for IDs derived from others (a schedule's run IDs),
    /// refused when the rule that derives them is written rather than each time it is applied. The default accepts every ID.
    /// </summary>
    void CheckWorkflowId(string workflowId)
    {
    }
}

/// <summary>The outcome of <see cref="IWorkflowStore.PurgeAsync"/>.</summary>
public enum PurgeOutcome
{
    /// <summary>Everything is gone, the instance row last.</summary>
    Purged,

    /// <summary>The budget ran out; call again.</summary>
    MoreToDo,

    /// <summary>The run is open: nothing deleted.</summary>
    NotClosed,

    /// <summary>Another run is current, or one started during the purge: it keeps everything it wrote.</summary>
    RunChanged,

    /// <summary>No such workflow.</summary>
    NotFound,
}

/// <summary>Filter and paging of <see cref="IWorkflowStore.ListInstancesAsync"/>.</summary>
public sealed record InstanceQuery
{
    /// <summary>Only this status.</summary>
    public WorkflowStatus? Status { get; init; }

    /// <summary>Only this workflow type.</summary>
    public string? WorkflowType { get; init; }

    /// <summary>Page size, 1–1000.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The continuation token of the previous page.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>One page of instances.</summary>
/// <param name="Items">The instances.</param>
/// <param name="ContinuationToken">Token for the next page; null on the last.</param>
public sealed record InstancePage(IReadOnlyList<InstanceRecord> Items, string? ContinuationToken);
