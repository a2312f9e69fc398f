using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Tells clients in this process what the workflow commits made here stored, as they happen (<see cref="Committed"/>): a client
/// waiting on a workflow this process runs learns that it is still running, or that it closed, with no read.
/// </summary>
internal sealed class CompletionNotifier(CallerClock clock)
{
    /// <summary>How long a commit made here marks its workflow as run here (<see cref="CommitWatch.CommittedHereAt"/>) for a new watch.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromSeconds(1);

    /// <summary>Size of the map of recent commits below which it is not pruned: a few hundred workflows in flight cost nothing to keep.</summary>
    private const int MinPruneSize = 1024;

    private readonly Lock gate = new();
    private readonly Dictionary<string, List<CommitWatch>> watches = new(StringComparer.Ordinal);

    /// <summary>When each open workflow last committed here (caller-clock timestamps), for watches that begin after the commit.</summary>
    private readonly Dictionary<string, long> recent = new(StringComparer.Ordinal);
    private int pruneAt = MinPruneSize;

    /// <summary>Workflows someone in this process is watching (for tests).</summary>
    internal int Waiting
    {
        get
        {
            lock (gate)
            {
                return watches.Count;
            }
        }
    }

    /// <summary>
    /// Starts receiving the commits of <paramref name="workflowId"/> made in this process from now on; dispose the watch to stop.
    /// Watch before reading the workflow: a commit between the read and the watch would otherwise go unseen.
    /// </summary>
    public CommitWatch Watch(string workflowId)
    {
        lock (gate)
        {
            var committedHereAt = recent.TryGetValue(workflowId, out var at) && clock.Time.GetElapsedTime(at) < RecentWindow ? at : (long?)null;
            var watch = new CommitWatch(this, workflowId, committedHereAt);
            if (!watches.TryGetValue(workflowId, out var list))
            {
                watches[workflowId] = list = [];
            }

            list.Add(watch);
            return watch;
        }
    }

    /// <summary>
    /// Tells every watch of the workflow what this process just committed for it (called right after the commit; the run goes on
    /// in this process unless the commit closed it), with the run's events the committer had in hand (<see cref="CommitReport"/>).
    /// </summary>
    public void Committed(InstanceRecord committed, WorkflowStarted? started = null, IReadOnlyList<HistoryEvent>? newEvents = null)
    {
        var report = new CommitReport(committed, started, newEvents ?? []);
        lock (gate)
        {
            if (committed.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew)
            {
                recent[committed.WorkflowId] = clock.Time.GetTimestamp();
                PruneRecent();
            }
            else
            {
                recent.Remove(committed.WorkflowId);
            }

            if (watches.TryGetValue(committed.WorkflowId, out var list))
            {
                list.ForEach(watch => watch.Add(report));
            }
        }
    }

    /// <summary>Ends a watch.</summary>
    internal void Remove(CommitWatch watch)
    {
        lock (gate)
        {
            if (watches.TryGetValue(watch.WorkflowId, out var list) && list.Remove(watch) && list.Count == 0)
            {
                watches.Remove(watch.WorkflowId);
            }
        }
    }

    /// <summary>
    /// Drops entries past <see cref="RecentWindow"/> (runs moved to another process, or closed elsewhere) once the map has doubled
    /// since the last pruning: amortized constant work per commit, and the map stays within twice the workflows of the last window.
    /// </summary>
    private void PruneRecent()
    {
        if (recent.Count < pruneAt)
        {
            return;
        }

        foreach (var (workflowId, at) in recent.ToList())
        {
            if (clock.Time.GetElapsedTime(at) >= RecentWindow)
            {
                recent.Remove(workflowId);
            }
        }

        pruneAt = Math.Max(MinPruneSize, recent.Count * 2);
    }
}
