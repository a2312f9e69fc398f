using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.InMemory;

/// <summary>
/// Workflow state and task queues in process memory, with the same contract as the Azure backend
/// (fenced commits, idempotent inbox, at-least-once messages). For users' fast unit tests only:
/// nothing survives the process.
/// </summary>
internal sealed partial class InMemoryBackend(TimeProvider time) : IWorkflowStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Partition> partitions = new(StringComparer.Ordinal);
    private long etagCounter;

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<InstanceRecord?> ReadInstanceAsync(string workflowId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(partitions.GetValueOrDefault(workflowId)?.Instance);
        }
    }

    public Task<WorkflowSnapshot?> LoadAsync(string workflowId, string? runId, long historyAfter, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (partitions.GetValueOrDefault(workflowId) is not { Instance: { } instance } partition)
            {
                return Task.FromResult<WorkflowSnapshot?>(null);
            }

            var after = runId == instance.RunId ? historyAfter : 0;
            return Task.FromResult<WorkflowSnapshot?>(new WorkflowSnapshot
            {
                Instance = instance with { InboxETag = partition.InboxETag },
                Inbox = partition.Inbox.Values.OrderBy(i => i.CreatedAt).ToList(),
                History = partition.HistoryOf(instance.RunId).Where(e => e.EventId > after && e.EventId <= instance.LastEventId).ToList(),
                HistoryAfter = after,
            });
        }
    }

    public Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string workflowId, string runId, long afterEventId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var partition = partitions.GetValueOrDefault(workflowId);
            var last = partition?.Instance?.RunId == runId ? partition.Instance.LastEventId : long.MaxValue;
            IReadOnlyList<HistoryEvent> events = partition?.HistoryOf(runId).Where(e => e.EventId > afterEventId && e.EventId <= last).ToList() ?? [];
            return Task.FromResult(events);
        }
    }

    public Task<HistoryEvent?> ReadEventAsync(string workflowId, string runId, long eventId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var events = partitions.GetValueOrDefault(workflowId)?.HistoryOf(runId);
            return Task.FromResult(events is not null && eventId >= 1 && eventId <= events.Count ? events[(int)eventId - 1] : null);
        }
    }

    public Task<InstanceRecord?> CommitAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var id = commit.Instance.WorkflowId;
            var partition = partitions.GetValueOrDefault(id);
            if (partition?.Instance?.ETag != commit.Instance.ETag || (commit.FenceInbox && partition?.InboxETag != commit.Instance.InboxETag))
            {
                return Task.FromResult<InstanceRecord?>(null);
            }

            partition ??= partitions[id] = new Partition();
            var history = partition.HistoryOf(commit.Instance.RunId);
            var expected = history.Count + 1;
            if (commit.NewEvents.Select((e, i) => e.EventId != expected + i).Any(gap => gap))
            {
                throw new InvalidOperationException($"Commit for workflow '{id}' does not continue its history at event {expected}.");
            }

            history.AddRange(commit.NewEvents);
            foreach (var key in commit.ConsumedInbox)
            {
                partition.Inbox.Remove(key);
            }

            foreach (var activity in commit.NewActivities)
            {
                partition.Activities[(activity.RunId, activity.ScheduledEventId)] = activity with { ETag = NextETag() };
            }

            foreach (var scheduledEventId in commit.DeletedActivities)
            {
                partition.Activities.Remove((commit.Instance.RunId, scheduledEventId));
            }

            var stored = commit.Instance with { ETag = NextETag(), InboxETag = null };
            partition.Instance = stored;
            partition.UpdatedAt = time.GetUtcNow();
            var startsRun = commit.NewEvents.Count > 0 && commit.NewEvents[0].EventId == 1;
            return Task.FromResult<InstanceRecord?>(stored with { InboxETag = startsRun || commit.FenceInbox ? partition.InboxETag : commit.Instance.InboxETag });
        }
    }

    public Task<bool> ClearOutboxAsync(string workflowId, string etag, CancellationToken cancellationToken) =>
        Task.FromResult(UpdateInstance(workflowId, etag, i => i with { OutboxPending = false }));

    public Task RecordTaskFailureAsync(string workflowId, string etag, string failure, CancellationToken cancellationToken) =>
        Task.FromResult(UpdateInstance(workflowId, etag, i => i with { LastTaskFailure = failure }));

    public Task<bool> AddInboxAsync(string workflowId, InboxItem item, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!partitions.TryGetValue(workflowId, out var partition))
            {
                partition = partitions[workflowId] = new Partition();
            }

            return Task.FromResult(partition.Inbox.TryAdd(item.Key, item) && partition.InboxAdded());
        }
    }

    public Task<ActivityTaskRecord?> ReadActivityAsync(string workflowId, string runId, long scheduledEventId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(partitions.GetValueOrDefault(workflowId)?.Activities.GetValueOrDefault((runId, scheduledEventId)));
        }
    }

    public Task<IReadOnlyList<ActivityTaskRecord>> ReadActivitiesAsync(string workflowId, string runId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<ActivityTaskRecord> rows = partitions.GetValueOrDefault(workflowId)?.Activities.Values
                .Where(a => a.RunId == runId).OrderBy(a => a.ScheduledEventId).ToList() ?? [];
            return Task.FromResult(rows);
        }
    }

    public async Task<IReadOnlyList<ActivityTaskRecord>> ReadActivitiesAsync(string workflowId, string runId, long first, long last, CancellationToken cancellationToken) =>
        (await ReadActivitiesAsync(workflowId, runId, cancellationToken)).Where(a => a.ScheduledEventId >= first && a.ScheduledEventId <= last).ToList();

    public Task<ActivityTaskRecord?> UpdateActivityAsync(ActivityTaskRecord activity, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(ReplaceActivity(activity));
        }
    }

    public Task<bool> CloseActivityAsync(ActivityTaskRecord activity, InboxItem outcome, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var partition = partitions.GetValueOrDefault(activity.WorkflowId);
            if (partition is null || partition.Inbox.ContainsKey(outcome.Key) || ReplaceActivity(activity) is null)
            {
                return Task.FromResult(false);
            }

            partition.Inbox[outcome.Key] = outcome;
            return Task.FromResult(partition.InboxAdded());
        }
    }

    public Task<IReadOnlyList<ActivityTaskRecord>> UpdateActivitiesAsync(IReadOnlyList<ActivityTaskRecord> activities, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            // All or nothing, as one transaction of the Azure store would be.
            if (activities.Any(a => partitions.GetValueOrDefault(a.WorkflowId)?.Activities.GetValueOrDefault((a.RunId, a.ScheduledEventId))?.ETag is not { } etag || etag != a.ETag))
            {
                return Task.FromResult<IReadOnlyList<ActivityTaskRecord>>([]);
            }

            IReadOnlyList<ActivityTaskRecord> stored = activities.Select(a => ReplaceActivity(a)!).ToList();
            return Task.FromResult(stored);
        }
    }

    public async Task<IReadOnlySet<long>> CloseActivitiesAsync(IReadOnlyList<(ActivityTaskRecord Activity, InboxItem Outcome)> closes, CancellationToken cancellationToken)
    {
        var closed = new HashSet<long>();
        foreach (var (activity, outcome) in closes)
        {
            if (await CloseActivityAsync(activity, outcome, cancellationToken))
            {
                closed.Add(activity.ScheduledEventId);
            }
        }

        return closed;
    }

    public Task<InstancePage> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var skip = int.TryParse(query.ContinuationToken, out var n) ? n : 0;
            var matching = partitions.Values.Select(p => p.Instance).OfType<InstanceRecord>()
                .Where(i => query.Status is null || i.Status == query.Status)
                .Where(i => query.WorkflowType is null || i.WorkflowType == query.WorkflowType)
                .OrderByDescending(i => i.CreatedAt).ThenBy(i => i.WorkflowId, StringComparer.Ordinal)
                .Skip(skip).Take(query.PageSize + 1).ToList();
            var more = matching.Count > query.PageSize;
            return Task.FromResult(new InstancePage(matching.Take(query.PageSize).ToList(), more ? (skip + query.PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
        }
    }

    public Task<IReadOnlyList<string>> FindStalledAsync(DateTimeOffset olderThan, int max, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<string> stalled = partitions
                .Where(p => (p.Value.Instance is { OutboxPending: true } && p.Value.UpdatedAt < olderThan)
                    || (p.Value.Instance is { } instance && Worker.TimerDue.EarliestOf(instance) < olderThan)
                    || p.Value.Inbox.Values.Any(i => i.CreatedAt < olderThan))
                .Select(p => p.Key).Take(max).ToList();
            return Task.FromResult(stalled);
        }
    }

    private bool UpdateInstance(string workflowId, string etag, Func<InstanceRecord, InstanceRecord> change)
    {
        lock (gate)
        {
            if (partitions.GetValueOrDefault(workflowId) is not { Instance: { } instance } partition || instance.ETag != etag)
            {
                return false;
            }

            partition.Instance = change(instance) with { ETag = NextETag() };
            partition.UpdatedAt = time.GetUtcNow();
            return true;
        }
    }

    private ActivityTaskRecord? ReplaceActivity(ActivityTaskRecord activity)
    {
        var partition = partitions.GetValueOrDefault(activity.WorkflowId);
        var key = (activity.RunId, activity.ScheduledEventId);
        if (partition is null || !partition.Activities.TryGetValue(key, out var existing) || existing.ETag != activity.ETag)
        {
            return null;
        }

        return partition.Activities[key] = activity with { ETag = NextETag() };
    }

    private string NextETag() => Interlocked.Increment(ref etagCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Partition
    {
        private long inboxInserts;

        /// <summary>Counts an inbox insert (it changes <see cref="InboxETag"/>); true, for use in expressions.</summary>
        public bool InboxAdded()
        {
            inboxInserts++;
            return true;
        }

        public InstanceRecord? Instance { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public Dictionary<string, InboxItem> Inbox { get; } = new(StringComparer.Ordinal);

        /// <summary>The inbox token (<see cref="InstanceRecord.InboxETag"/>): the number of inbox inserts so far.</summary>
        public string InboxETag => inboxInserts.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public Dictionary<(string RunId, long ScheduledEventId), ActivityTaskRecord> Activities { get; } = [];

        public Dictionary<string, List<HistoryEvent>> Runs { get; } = new(StringComparer.Ordinal);

        public List<HistoryEvent> HistoryOf(string runId) => Runs.TryGetValue(runId, out var events) ? events : Runs[runId] = [];
    }
}
