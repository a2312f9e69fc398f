using Azure.Core;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Runs an action once, just before the first commit that closes a run reaches storage: a message lands exactly in the close's window.</summary>
internal interface IBeforeClosingCommit
{
    /// <summary>Times the action ran.</summary>
    int Fired { get; }

    /// <summary>Arms the hook with <paramref name="action"/>.</summary>
    void Arm(Func<Task> action);
}

/// <summary>On Azurite: a pipeline policy that runs the action before the entity-group transaction whose instance row closes the run.</summary>
internal sealed class BeforeClosingTransaction : IBeforeClosingCommit
{
    private static readonly string[] ClosedStatuses = [.. Enum.GetNames<WorkflowStatus>().Where(s => s is not nameof(WorkflowStatus.Running)).Select(s => $"\"Status\":\"{s}\"")];

    /// <summary>The policy to add to the backend's pipeline.</summary>
    public RequestHook Hook { get; } = new();

    public int Fired => Hook.Fired;

    public void Arm(Func<Task> action) => Hook.Before(IsClosingTransaction, action);

    private static bool IsClosingTransaction(Request request)
    {
        if (request.Method != RequestMethod.Post || !request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
        {
            return false;
        }

        var text = RequestBody.Text(request);
        return ClosedStatuses.Any(status => text.Contains(status, StringComparison.Ordinal));
    }
}

/// <summary>
/// In memory: the store, with the action run before a commit that closes a run (the backend has no request pipeline to hook), or
/// before the next load (<see cref="ArmBeforeLoad"/>), or before the insert of an inbox row (<see cref="ArmBeforeInbox"/>), or before a
/// commit a test names by what it writes (<see cref="ArmBeforeCommit"/>, which a request pipeline cannot see in an Azure batch's binary columns),
/// or before the next update of an activity row (<see cref="ArmBeforeActivityUpdate"/>; an action that throws fails the update as storage would).
/// </summary>
internal sealed class BeforeClosingStoreCommit(IWorkflowStore inner) : IWorkflowStore, IBeforeClosingCommit
{
    private Func<Task>? armed;
    private (Func<WorkflowCommit, bool> Match, Func<Task> Action)? beforeCommit;
    private Func<Task>? beforeLoad;
    private (Func<string, bool> Key, Func<Task> Action)? beforeInbox;
    private Func<Task>? beforeActivityUpdate;
    private int fired;

    public int Fired => fired;

    public void Arm(Func<Task> action) => armed = action;

    /// <summary>Runs <paramref name="action"/> once, before the next load.</summary>
    public void ArmBeforeLoad(Func<Task> action) => beforeLoad = action;

    /// <summary>Runs <paramref name="action"/> once, before the first inbox row whose key <paramref name="key"/> accepts is inserted.</summary>
    public void ArmBeforeInbox(Func<string, bool> key, Func<Task> action) => beforeInbox = (key, action);

    /// <summary>Runs <paramref name="action"/> once, before the next update of an activity row.</summary>
    public void ArmBeforeActivityUpdate(Func<Task> action) => beforeActivityUpdate = action;

    /// <summary>Runs <paramref name="action"/> once, before the first commit that <paramref name="match"/> accepts.</summary>
    public void ArmBeforeCommit(Func<WorkflowCommit, bool> match, Func<Task> action) => beforeCommit = (match, action);

    public async Task<InstanceRecord?> CommitAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        if (beforeCommit is { } hook && hook.Match(commit))
        {
            beforeCommit = null;
            Interlocked.Increment(ref fired);
            await hook.Action();
        }

        if (commit.Instance.Status != WorkflowStatus.Running && commit.NewEvents.Count > 0 && Interlocked.Exchange(ref armed, null) is { } action)
        {
            Interlocked.Increment(ref fired);
            await action();
        }

        return await inner.CommitAsync(commit, cancellationToken);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task<InstanceRecord?> ReadInstanceAsync(string workflowId, CancellationToken cancellationToken) => inner.ReadInstanceAsync(workflowId, cancellationToken);

    public async Task<WorkflowSnapshot?> LoadAsync(string workflowId, string? runId, long historyAfter, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref beforeLoad, null) is { } action)
        {
            Interlocked.Increment(ref fired);
            await action();
        }

        return await inner.LoadAsync(workflowId, runId, historyAfter, cancellationToken);
    }

    public Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string workflowId, string runId, long afterEventId, CancellationToken cancellationToken) =>
        inner.ReadHistoryAsync(workflowId, runId, afterEventId, cancellationToken);

    public Task<HistoryEvent?> ReadEventAsync(string workflowId, string runId, long eventId, CancellationToken cancellationToken) =>
        inner.ReadEventAsync(workflowId, runId, eventId, cancellationToken);

    public Task<bool> ClearOutboxAsync(string workflowId, string etag, CancellationToken cancellationToken) => inner.ClearOutboxAsync(workflowId, etag, cancellationToken);

    public Task RecordTaskFailureAsync(string workflowId, string etag, string failure, CancellationToken cancellationToken) =>
        inner.RecordTaskFailureAsync(workflowId, etag, failure, cancellationToken);

    public async Task<bool> AddInboxAsync(string workflowId, InboxItem item, CancellationToken cancellationToken)
    {
        if (beforeInbox is { } armed && armed.Key(item.Key))
        {
            beforeInbox = null;
            Interlocked.Increment(ref fired);
            await armed.Action();
        }

        return await inner.AddInboxAsync(workflowId, item, cancellationToken);
    }

    public Task<ActivityTaskRecord?> ReadActivityAsync(string workflowId, string runId, long scheduledEventId, CancellationToken cancellationToken) =>
        inner.ReadActivityAsync(workflowId, runId, scheduledEventId, cancellationToken);

    public Task<IReadOnlyList<ActivityTaskRecord>> ReadActivitiesAsync(string workflowId, string runId, CancellationToken cancellationToken) =>
        inner.ReadActivitiesAsync(workflowId, runId, cancellationToken);

    public async Task<ActivityTaskRecord?> UpdateActivityAsync(ActivityTaskRecord activity, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref beforeActivityUpdate, null) is { } action)
        {
            Interlocked.Increment(ref fired);
            await action();
        }

        return await inner.UpdateActivityAsync(activity, cancellationToken);
    }

    public Task<bool> CloseActivityAsync(ActivityTaskRecord activity, InboxItem outcome, CancellationToken cancellationToken) =>
        inner.CloseActivityAsync(activity, outcome, cancellationToken);

    public Task<IReadOnlyList<ActivityTaskRecord>> ReadActivitiesAsync(string workflowId, string runId, long first, long last, CancellationToken cancellationToken) =>
        inner.ReadActivitiesAsync(workflowId, runId, first, last, cancellationToken);

    public Task<IReadOnlyList<ActivityTaskRecord>> UpdateActivitiesAsync(IReadOnlyList<ActivityTaskRecord> activities, CancellationToken cancellationToken) =>
        inner.UpdateActivitiesAsync(activities, cancellationToken);

    public Task<IReadOnlySet<long>> CloseActivitiesAsync(IReadOnlyList<(ActivityTaskRecord Activity, InboxItem Outcome)> closes, CancellationToken cancellationToken) =>
        inner.CloseActivitiesAsync(closes, cancellationToken);

    public Task<InstancePage> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken) => inner.ListInstancesAsync(query, cancellationToken);

    public Task<IReadOnlyList<string>> FindStalledAsync(DateTimeOffset olderThan, int max, CancellationToken cancellationToken) =>
        inner.FindStalledAsync(olderThan, max, cancellationToken);

    public Task<PurgeOutcome> PurgeAsync(string workflowId, string runId, int maxDeletes, CancellationToken cancellationToken) =>
        inner.PurgeAsync(workflowId, runId, maxDeletes, cancellationToken);
}
