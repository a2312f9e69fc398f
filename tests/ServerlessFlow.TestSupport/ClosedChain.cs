using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// A closed workflow with everything a purge must remove: three runs (two continued as new, the last
/// completed), each with history, an activity row left by the first run, 2 MB payloads split over
/// continuation rows, and an inbox item that arrived after the close.
/// </summary>
/// <param name="WorkflowId">The workflow.</param>
/// <param name="RunIds">The runs, oldest first; the last is current.</param>
/// <param name="Closed">The stored instance of the closed last run.</param>
public sealed record ClosedChain(string WorkflowId, IReadOnlyList<string> RunIds, InstanceRecord Closed)
{
    /// <summary>Temporal's payload limit.</summary>
    public const int TwoMegabytes = 2 * 1024 * 1024;

    /// <summary>The key of the inbox item left after the close.</summary>
    public const string LeftoverInboxKey = "late-signal";

    /// <summary>Commits the chain to <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="workflowId">The workflow ID.</param>
    /// <param name="timersPerRun">Extra history events per run (to make a purge need several calls).</param>
    /// <param name="bigPayloads">Whether the first start input, the last result and the inbox leftover are 2 MB.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public static async Task<ClosedChain> CommitAsync(IWorkflowStore store, string workflowId, int timersPerRun, bool bigPayloads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var big = bigPayloads ? Payload(TwoMegabytes) : Json("small");
        var runIds = new List<string>();
        InstanceRecord? previous = null;
        for (var run = 0; run < 3; run++)
        {
            var start = StartCommit(workflowId, input: run == 0 ? big : Json(run));
            runIds.Add(start.Instance.RunId);
            var current = await Commit(store, start with { Instance = start.Instance with { ETag = previous?.ETag } }, cancellationToken);
            if (run == 0)
            {
                var scheduled = Scheduled(Json("charge")) with { EventId = 2 };
                current = await Commit(store, Next(current, [scheduled]) with { NewActivities = [Activity(current, scheduled)] }, cancellationToken);
            }

            IEnumerable<HistoryEvent> events = Timers(timersPerRun);
            if (run == 2)
            {
                events = events.Append(new ActivityCompleted { ScheduledEventId = 2, Result = big, Attempt = 1 });
            }

            var status = run < 2 ? WorkflowStatus.ContinuedAsNew : WorkflowStatus.Completed;
            previous = await Commit(store, Next(current with { Status = status, ClosedAt = DateTimeOffset.UtcNow }, events.Append(new TimerFired { StartedEventId = 1 })), cancellationToken);
        }

        var leftover = new InboxItem
        {
            Key = LeftoverInboxKey,
            RunId = runIds[^1],
            Event = new ActivityCompleted { ScheduledEventId = 3, Result = big, Attempt = 1 },
            CreatedAt = DateTimeOffset.UtcNow,
        };
        if (!await store.AddInboxAsync(workflowId, leftover, cancellationToken))
        {
            throw new InvalidOperationException("The leftover inbox item was already there.");
        }

        return new ClosedChain(workflowId, runIds, previous!);
    }

    /// <summary>Starts a new run replacing the closed one (as a start with a reused ID does).</summary>
    public static async Task<InstanceRecord> StartNewRunAsync(IWorkflowStore store, InstanceRecord closed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(closed);
        var start = StartCommit(closed.WorkflowId, input: Json("new run"));
        return await Commit(store, start with { Instance = start.Instance with { ETag = closed.ETag } }, cancellationToken);
    }

    private static async Task<InstanceRecord> Commit(IWorkflowStore store, WorkflowCommit commit, CancellationToken cancellationToken) =>
        await store.CommitAsync(commit, cancellationToken) ?? throw new InvalidOperationException($"A commit of '{commit.Instance.WorkflowId}' on the current ETag lost.");
}
