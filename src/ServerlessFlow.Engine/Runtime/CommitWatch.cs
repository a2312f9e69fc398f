namespace ServerlessFlow.Engine.Runtime;

/// <summary>One waiter's feed of the commits of one workflow made in this process (<see cref="CompletionNotifier.Watch"/>).</summary>
internal sealed class CommitWatch : IDisposable
{
    private readonly CompletionNotifier owner;
    private readonly Lock gate = new();
    private readonly List<CommitReport> commits = [];
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal CommitWatch(CompletionNotifier owner, string workflowId, long? committedHereAt)
    {
        this.owner = owner;
        WorkflowId = workflowId;
        CommittedHereAt = committedHereAt;
    }

    /// <summary>The workflow watched.</summary>
    public string WorkflowId { get; }

    /// <summary>
    /// When this process last committed the workflow, if within <see cref="CompletionNotifier.RecentWindow"/> before the watch began
    /// (a timestamp of the caller's clock): the run is going on here, so its next commit will most likely be seen here too.
    /// </summary>
    public long? CommittedHereAt { get; }

    /// <summary>Completes when a commit has arrived that <see cref="Take"/> has not returned yet.</summary>
    public Task Arrived
    {
        get
        {
            lock (gate)
            {
                return arrived.Task;
            }
        }
    }

    /// <summary>The commits that arrived since the last call, oldest first (none if nothing arrived); <see cref="Arrived"/> starts over.</summary>
    public IReadOnlyList<CommitReport> Take()
    {
        lock (gate)
        {
            if (commits.Count == 0)
            {
                return [];
            }

            var taken = commits.ToList();
            commits.Clear();
            arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return taken;
        }
    }

    /// <inheritdoc />
    public void Dispose() => owner.Remove(this);

    /// <summary>Adds a commit; wakes the waiter.</summary>
    internal void Add(CommitReport committed)
    {
        lock (gate)
        {
            commits.Add(committed);
            arrived.TrySetResult();
        }
    }
}
