using ServerlessFlow.History;
using Xunit;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.TestSupport;

/// <summary>Big payloads and hostile IDs: nothing truncated, nothing colliding.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>Temporal's payload limit, which every backend must carry.</summary>
    protected const int TwoMegabytes = 2 * 1024 * 1024;

    /// <summary>IDs that break naive key handling: reserved and control characters, escape look-alikes, quotes, Unicode.</summary>
    protected static readonly IReadOnlyList<string> HostileIdList =
    [
        "a/b", "a%2Fb", "a^2Fb", "a^5E2Fb", "a\\b", "a#b", "a?b", "a\u0001b", "a\tb", "a\u007Fb", "a'b", "a+b", "a b  c", "a|b", "a}b",
        "ä/日本/😀", "..", "%", "^", "'; DROP TABLE x; --",
    ];

    private static readonly char[] PayloadSeeds = ['a', 'n', 'x'];

    /// <summary><see cref="HostileIdList"/> as theory data.</summary>
    public static TheoryData<string> HostileIds => new(HostileIdList);

    [Fact]
    public async Task CommitAsync_TwoMegabyteInput_RoundTrips()
    {
        var input = Payload(TwoMegabytes);
        var start = StartCommit(NewWorkflowId(), input: input);

        var started = await StartAsync(commit: start);

        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct);
        var first = Assert.IsType<WorkflowStarted>(Assert.Single(snapshot!.History));
        Assert.Equal(input.GetString(), first.Input?.GetString());
    }

    [Fact]
    public async Task AddInboxAsync_TwoMegabyteResult_RoundTripsAndIsConsumedWhole()
    {
        var started = await StartAsync();
        var item = ActivityOutcome(started.RunId, 2, Payload(TwoMegabytes, 'k'));

        Assert.True(await Store.AddInboxAsync(started.WorkflowId, item, Ct));
        var loaded = await Store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct);
        await CommitAsync(Next(loaded!.Instance, [loaded.Inbox[0].Event], [item.Key]));

        Assert.Equal(Canonical(item.Event), Canonical(Assert.Single(loaded.Inbox).Event));
        var after = await Store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct);
        Assert.Empty(after!.Inbox);
        Assert.Equal(Canonical(item.Event with { EventId = 2 }), Canonical(Assert.Single(after.History)));
    }

    [Fact]
    public async Task CommitAsync_ThreeTwoMegabyteEvents_AreStoredWhole()
    {
        var started = await StartAsync();
        var results = PayloadSeeds.Select(seed => (HistoryEvent)new ActivityCompleted { ScheduledEventId = 1, Result = Payload(TwoMegabytes, seed), Attempt = 1 });
        var commit = Next(started, results);

        await CommitAsync(commit);

        var history = await Store.ReadHistoryAsync(started.WorkflowId, started.RunId, 1, Ct);
        Assert.Equal(commit.NewEvents.Select(Canonical), history.Select(Canonical));
    }

    [Fact]
    public async Task ReadEventAsync_TwoMegabyteEvents_AreReadWhole()
    {
        var input = Payload(TwoMegabytes);
        var started = await StartAsync(commit: StartCommit(NewWorkflowId(), input: input));
        var commit = Next(started, [new ActivityCompleted { ScheduledEventId = 1, Result = Payload(TwoMegabytes, 'r'), Attempt = 1 }]);
        await CommitAsync(commit);

        var first = await Store.ReadEventAsync(started.WorkflowId, started.RunId, 1, Ct);
        var second = await Store.ReadEventAsync(started.WorkflowId, started.RunId, 2, Ct);

        Assert.Equal(input.GetString(), Assert.IsType<WorkflowStarted>(first).Input?.GetString());
        Assert.Equal(Canonical(commit.NewEvents[0]), Canonical(second!));
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task CommitAsync_HostileWorkflowId_RoundTrips(string workflowId)
    {
        var start = StartCommit(workflowId, input: Json(workflowId));

        var started = await StartAsync(commit: start);
        await Store.AddInboxAsync(workflowId, Item(workflowId, started.RunId), Ct);

        var snapshot = await Store.LoadAsync(workflowId, started.RunId, 0, Ct);
        Assert.Equal(workflowId, snapshot!.Instance.WorkflowId);
        Assert.Equal(workflowId, Assert.IsType<WorkflowStarted>(Assert.Single(snapshot.History)).Input?.GetString());
        Assert.Equal(workflowId, Assert.Single(snapshot.Inbox).Key);
    }

    [Fact]
    public async Task CommitAsync_IdsThatEscapeAlike_NeverCollide()
    {
        var ids = HostileIdList;

        foreach (var id in ids)
        {
            Assert.NotNull(await Store.CommitAsync(StartCommit(id, input: Json(id)), Ct));
        }

        foreach (var id in ids)
        {
            var instance = await Store.ReadInstanceAsync(id, Ct);
            var history = await Store.ReadHistoryAsync(id, instance!.RunId, 0, Ct);
            Assert.Equal(id, instance.WorkflowId);
            Assert.Equal(id, Assert.IsType<WorkflowStarted>(Assert.Single(history)).Input?.GetString());
        }
    }
}
