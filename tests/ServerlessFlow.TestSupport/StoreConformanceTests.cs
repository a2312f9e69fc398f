using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using Xunit;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// The behaviour every <see cref="IWorkflowStore"/> must have (DESIGN §3). A backend's test project
/// subclasses it and supplies a fresh, isolated store per test; the same facts then hold for every backend.
/// This part covers commits, the fence and loading; the other parts cover payloads, activities and queries.
/// </summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    private IWorkflowStore? store;

    /// <summary>The store under test, initialized.</summary>
    protected IWorkflowStore Store => store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Cancellation token of store calls.</summary>
    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>Creates a store no other test shares (e.g. unique table names); it is initialized by the suite.</summary>
    protected abstract Task<IWorkflowStore> CreateStoreAsync();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        store = await CreateStoreAsync();
        await store.InitializeAsync(Ct);
    }

    /// <inheritdoc />
    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Starts a workflow and returns its stored instance.</summary>
    protected async Task<InstanceRecord> StartAsync(string? workflowId = null, WorkflowCommit? commit = null)
    {
        var start = commit ?? StartCommit(workflowId ?? NewWorkflowId());
        return await Store.CommitAsync(start, Ct) ?? throw new InvalidOperationException("The start commit lost although the workflow was new.");
    }

    /// <summary>Commits and asserts the commit won.</summary>
    protected async Task<InstanceRecord> CommitAsync(WorkflowCommit commit) =>
        await Store.CommitAsync(commit, Ct) ?? throw new InvalidOperationException("A commit on the current ETag lost.");

    [Fact]
    public async Task CommitAsync_InsertWhenAbsent_StoresInstanceAndFirstEvent()
    {
        var start = StartCommit(NewWorkflowId(), input: Json(new { amount = 5 }));

        var stored = await Store.CommitAsync(start, Ct);

        Assert.NotNull(stored?.ETag);
        var read = await Store.ReadInstanceAsync(start.Instance.WorkflowId, Ct);
        Assert.NotNull(read);
        Assert.Equal(stored.ETag, read.ETag);
        Assert.Equal((start.Instance.RunId, start.Instance.WorkflowType, start.Instance.Status, 1L), (read.RunId, read.WorkflowType, read.Status, read.LastEventId));
        var history = await Store.ReadHistoryAsync(start.Instance.WorkflowId, start.Instance.RunId, 0, Ct);
        Assert.Equal(Canonical(start.NewEvents[0]), Canonical(Assert.Single(history)));
    }

    [Fact]
    public async Task CommitAsync_InsertWhenPresent_ReturnsNullAndKeepsTheFirstRun()
    {
        var workflowId = NewWorkflowId();
        var first = await StartAsync(workflowId);

        var second = await Store.CommitAsync(StartCommit(workflowId, input: Json("second")), Ct);

        Assert.Null(second);
        var read = await Store.ReadInstanceAsync(workflowId, Ct);
        Assert.Equal((first.RunId, first.ETag), (read?.RunId, read?.ETag));
        Assert.Single(await Store.ReadHistoryAsync(workflowId, first.RunId, 0, Ct));
    }

    [Fact]
    public async Task CommitAsync_StaleETag_ReturnsNullAndWritesNothing()
    {
        var started = await StartAsync();
        var current = await CommitAsync(Next(started, Timers(1)));

        var stale = await Store.CommitAsync(Next(started, Timers(3)), Ct);

        Assert.Null(stale);
        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct);
        Assert.Equal(current.ETag, snapshot?.Instance.ETag);
        Assert.Equal([1L, 2L], snapshot!.History.Select(e => e.EventId));
    }

    [Fact]
    public async Task CommitAsync_TwoCommitsFromSameETag_ExactlyOneWinsAndLoserWritesNothing()
    {
        var started = await StartAsync();
        await Store.AddInboxAsync(started.WorkflowId, Item("signal-1", started.RunId), Ct);
        var scheduledA = Scheduled(Json("a"), "A") with { EventId = 2 };
        var scheduledB = Scheduled(Json("b"), "B") with { EventId = 2 };
        var commitA = Next(started, [scheduledA], ["signal-1"]) with { NewActivities = [Activity(started, scheduledA)] };
        var commitB = Next(started, [scheduledB, .. Timers(2)], ["signal-1"]) with { NewActivities = [Activity(started, scheduledB)] };

        var results = await Task.WhenAll(Store.CommitAsync(commitA, Ct), Store.CommitAsync(commitB, Ct));

        Assert.Single(results, r => r is not null);
        var (winner, _) = results[0] is not null ? (commitA, commitB) : (commitB, commitA);
        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct);
        Assert.NotNull(snapshot);
        Assert.Equal(winner.Instance.LastEventId, snapshot.Instance.LastEventId);
        Assert.Equal(winner.NewEvents.Select(Canonical), snapshot.History.Skip(1).Select(Canonical));
        Assert.Empty(snapshot.Inbox);
        var activity = await Store.ReadActivityAsync(started.WorkflowId, started.RunId, 2, Ct);
        Assert.Equal(winner.NewActivities[0].ActivityName, activity?.ActivityName);
    }

    [Fact]
    public async Task CommitAsync_ManyConcurrentCommitsFromSameETag_ExactlyOneWins()
    {
        var started = await StartAsync();
        var commits = Enumerable.Range(1, 8).Select(i => Next(started, Timers(i))).ToList();

        var results = await Task.WhenAll(commits.Select(c => Store.CommitAsync(c, Ct)));

        var winner = commits[Array.FindIndex(results, r => r is not null)];
        Assert.Single(results, r => r is not null);
        var history = await Store.ReadHistoryAsync(started.WorkflowId, started.RunId, 1, Ct);
        Assert.Equal(winner.NewEvents.Select(Canonical), history.Select(Canonical));
    }

    [Fact]
    public async Task CommitAsync_ConcurrentBigCommitsFromSameETag_AtMostOneWinsAndHistoryIsWhole()
    {
        var started = await StartAsync();
        var commits = Enumerable.Range(0, 3)
            .Select(i => Next(started, Timers(150 + (10 * i), new DateTimeOffset(2050 + i, 1, 1, 0, 0, 0, TimeSpan.Zero))))
            .ToList();

        var results = await Task.WhenAll(commits.Select(c => Store.CommitAsync(c, Ct)));

        Assert.True(results.Count(r => r is not null) <= 1, "more than one commit won the same fence");
        var history = await Store.ReadHistoryAsync(started.WorkflowId, started.RunId, 1, Ct);
        var expected = Array.FindIndex(results, r => r is not null) is var index and >= 0 ? commits[index].NewEvents.Select(Canonical) : [];
        Assert.Equal(expected, history.Select(Canonical));
        var current = (await Store.ReadInstanceAsync(started.WorkflowId, Ct))!;
        Assert.NotNull(await Store.CommitAsync(Next(current, Timers(120)), Ct));
        Assert.Equal(current.LastEventId + 120, (await Store.ReadHistoryAsync(started.WorkflowId, started.RunId, 0, Ct)).Count);
    }

    [Fact]
    public async Task LoadAsync_AfterN_ReturnsInstanceInboxAndOnlyLaterHistory()
    {
        var started = await StartAsync();
        var current = await CommitAsync(Next(started, Timers(4)));
        var now = DateTimeOffset.UtcNow;
        await Store.AddInboxAsync(started.WorkflowId, Item("later", started.RunId, now.AddSeconds(1)), Ct);
        await Store.AddInboxAsync(started.WorkflowId, Item("earlier", started.RunId, now), Ct);

        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 3, Ct);

        Assert.NotNull(snapshot);
        Assert.Equal(current.ETag, snapshot.Instance.ETag);
        Assert.Equal(3, snapshot.HistoryAfter);
        Assert.Equal([4L, 5L], snapshot.History.Select(e => e.EventId));
        Assert.Equal(["earlier", "later"], snapshot.Inbox.Select(i => i.Key));
    }

    [Fact]
    public async Task LoadAsync_RunIdNotCurrentOrNull_ReturnsWholeCurrentHistory()
    {
        var started = await StartAsync();
        await CommitAsync(Next(started, Timers(2)));

        var other = await Store.LoadAsync(started.WorkflowId, NewRunId(), 2, Ct);
        var none = await Store.LoadAsync(started.WorkflowId, null, 2, Ct);

        foreach (var snapshot in new[] { other, none })
        {
            Assert.NotNull(snapshot);
            Assert.Equal(0, snapshot.HistoryAfter);
            Assert.Equal([1L, 2L, 3L], snapshot.History.Select(e => e.EventId));
        }
    }

    [Fact]
    public async Task LoadAsync_UnknownWorkflow_ReturnsNull()
    {
        var workflowId = NewWorkflowId();

        Assert.Null(await Store.LoadAsync(workflowId, null, 0, Ct));
        Assert.Null(await Store.ReadInstanceAsync(workflowId, Ct));
        Assert.Empty(await Store.ReadHistoryAsync(workflowId, NewRunId(), 0, Ct));
    }

    [Fact]
    public async Task AddInboxAsync_SameKeyTwice_SecondIsNoOpAndKeepsTheFirst()
    {
        var started = await StartAsync();
        var first = ActivityOutcome(started.RunId, 2, Json("first"));

        var added = await Store.AddInboxAsync(started.WorkflowId, first, Ct);
        var again = await Store.AddInboxAsync(started.WorkflowId, first with { Event = new ActivityCompleted { ScheduledEventId = 2, Result = Json("second"), Attempt = 2 } }, Ct);

        Assert.True(added);
        Assert.False(again);
        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct);
        Assert.Equal(Canonical(first.Event), Canonical(Assert.Single(snapshot!.Inbox).Event));
    }

    [Fact]
    public async Task CommitAsync_ConsumedInbox_DeletesTheRowsAndAppendsTheEvents()
    {
        var started = await StartAsync();
        var item = ActivityOutcome(started.RunId, 2, Json(7));
        await Store.AddInboxAsync(started.WorkflowId, item, Ct);
        await Store.AddInboxAsync(started.WorkflowId, Item("kept", started.RunId), Ct);

        await CommitAsync(Next(started, [item.Event], [item.Key]));

        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct);
        Assert.Equal("kept", Assert.Single(snapshot!.Inbox).Key);
        Assert.Equal(Canonical(item.Event with { EventId = 2 }), Canonical(Assert.Single(snapshot.History)));
    }

    [Fact]
    public async Task CommitAsync_250Events_AreReadBackInOrder()
    {
        var started = await StartAsync();
        var commit = Next(started, Timers(250));

        var stored = await CommitAsync(commit);

        Assert.Equal(251, stored.LastEventId);
        var history = await Store.ReadHistoryAsync(started.WorkflowId, started.RunId, 0, Ct);
        Assert.Equal(Enumerable.Range(1, 251).Select(i => (long)i), history.Select(e => e.EventId));
        Assert.Equal(commit.NewEvents.Select(Canonical), history.Skip(1).Select(Canonical));
        var next = await CommitAsync(Next(stored, Timers(1)));
        Assert.Equal(252, next.LastEventId);
    }

    [Fact]
    public async Task CommitAsync_NewRun_KeepsTheOldRunsHistoryReadable()
    {
        var started = await StartAsync();
        var closed = await CommitAsync(Next(started with { Status = WorkflowStatus.ContinuedAsNew }, Timers(2)));
        var newRun = StartCommit(started.WorkflowId);

        var stored = await CommitAsync(newRun with { Instance = newRun.Instance with { ETag = closed.ETag } });

        Assert.Equal(newRun.Instance.RunId, stored.RunId);
        Assert.Equal([1L, 2L, 3L], (await Store.ReadHistoryAsync(started.WorkflowId, started.RunId, 0, Ct)).Select(e => e.EventId));
        Assert.IsType<TimerStarted>(await Store.ReadEventAsync(started.WorkflowId, started.RunId, 3, Ct));
        var snapshot = await Store.LoadAsync(started.WorkflowId, newRun.Instance.RunId, 0, Ct);
        Assert.IsType<WorkflowStarted>(Assert.Single(snapshot!.History));
    }

    [Fact]
    public async Task ReadEventAsync_CommittedAndMissingIds_ReturnsEventOrNull()
    {
        var started = await StartAsync();
        var commit = Next(started, Timers(3));
        await CommitAsync(commit);

        var third = await Store.ReadEventAsync(started.WorkflowId, started.RunId, 3, Ct);
        var missing = await Store.ReadEventAsync(started.WorkflowId, started.RunId, 5, Ct);
        var otherRun = await Store.ReadEventAsync(started.WorkflowId, NewRunId(), 1, Ct);

        Assert.Equal(Canonical(commit.NewEvents[1]), Canonical(third!));
        Assert.Null(missing);
        Assert.Null(otherRun);
    }

    [Fact]
    public async Task CommitAsync_LeftoversOfALostBigCommit_AreNeverHistoryAndAreReplaced()
    {
        var started = await StartAsync();
        await Store.RecordTaskFailureAsync(started.WorkflowId, started.ETag!, "changes the ETag, not the history", Ct);
        var current = (await Store.ReadInstanceAsync(started.WorkflowId, Ct))!;

        // Loses at its final, fenced transaction — after the rows that did not fit it were written.
        var lost = await Store.CommitAsync(Next(started, Timers(180, new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero))), Ct);
        var afterLoss = await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct);
        var next = Next(current, Timers(150));
        var stored = await Store.CommitAsync(next, Ct);

        Assert.Null(lost);
        Assert.Equal([1L], afterLoss!.History.Select(e => e.EventId));
        Assert.NotNull(stored);
        var history = await Store.ReadHistoryAsync(started.WorkflowId, started.RunId, 1, Ct);
        Assert.Equal(next.NewEvents.Select(Canonical), history.Select(Canonical));
        // ReadEventAsync does not tell leftovers from history (its caller knows the event is committed): null here means the
        // lost commit's rows above the new last event are gone, not merely hidden.
        Assert.Null(await Store.ReadEventAsync(started.WorkflowId, started.RunId, 152, Ct));
    }
}
