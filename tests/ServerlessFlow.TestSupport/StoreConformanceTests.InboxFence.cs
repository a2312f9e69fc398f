using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using Xunit;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// The inbox token (<see cref="InstanceRecord.InboxETag"/>) and the commits it fences (<see cref="WorkflowCommit.FenceInbox"/>):
/// a close loses to an inbox item added since its task read the token, and nothing else does.
/// </summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>The commit that closes <paramref name="current"/>'s run as completed, consuming <paramref name="consumed"/>, fenced by the inbox.</summary>
    protected static WorkflowCommit FencedClose(InstanceRecord current, params string[] consumed) =>
        Next(current with { Status = WorkflowStatus.Completed, ClosedAt = DateTimeOffset.UtcNow }, [new WorkflowCompleted { Timestamp = DateTimeOffset.UtcNow, Result = Json("done") }], consumed)
        with { FenceInbox = true };

    [Fact]
    public async Task CommitAsync_FencedCloseAfterAnInboxInsert_ReturnsNullAndWritesNothing()
    {
        var started = await StartAsync();
        var loaded = (await Store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct))!;
        await Store.AddInboxAsync(started.WorkflowId, Item("signal-late", started.RunId), Ct);

        var closed = await Store.CommitAsync(FencedClose(loaded.Instance), Ct);

        Assert.Null(closed);
        var after = (await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct))!;
        Assert.Equal((WorkflowStatus.Running, loaded.Instance.ETag, 1L), (after.Instance.Status, after.Instance.ETag, after.Instance.LastEventId));
        Assert.Equal("signal-late", Assert.Single(after.Inbox).Key);
        Assert.Single(after.History);
        Assert.NotNull(await Store.CommitAsync(FencedClose(after.Instance, "signal-late"), Ct)); // with the new token it closes
    }

    [Fact]
    public async Task CommitAsync_FencedCloseWithTheTokenItLoaded_Applies()
    {
        var started = await StartAsync();
        await Store.AddInboxAsync(started.WorkflowId, Item("signal-seen", started.RunId), Ct);
        var loaded = (await Store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct))!;

        var closed = await Store.CommitAsync(FencedClose(loaded.Instance, "signal-seen"), Ct);

        Assert.Equal(WorkflowStatus.Completed, closed?.Status);
        var after = (await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct))!;
        Assert.Empty(after.Inbox);
        Assert.Equal([1L, 2L], after.History.Select(e => e.EventId));
    }

    [Fact]
    public async Task CommitAsync_UnfencedCommitAfterAnInboxInsert_AppliesAndKeepsTheTokenItWasGiven()
    {
        var started = await StartAsync();
        var loaded = (await Store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct))!;
        await Store.AddInboxAsync(started.WorkflowId, Item("signal-1", started.RunId), Ct);

        var stepped = await Store.CommitAsync(Next(loaded.Instance, Timers(1)), Ct);

        Assert.NotNull(stepped); // inbox inserts never fail a commit that keeps the run open
        Assert.Equal(loaded.Instance.InboxETag, stepped.InboxETag);
        Assert.Null(await Store.CommitAsync(FencedClose(stepped), Ct)); // the insert happened after that token was read
    }

    [Fact]
    public async Task CommitAsync_StartCommit_ReturnsATokenThatLaterInsertsChange()
    {
        var quiet = await StartAsync();
        var signaled = await StartAsync();
        var stepped = await CommitAsync(Next(signaled, Timers(1)));
        await Store.AddInboxAsync(signaled.WorkflowId, Item("signal-1", signaled.RunId), Ct);

        var quietClose = await Store.CommitAsync(FencedClose(quiet), Ct);
        var signaledClose = await Store.CommitAsync(FencedClose(stepped), Ct);

        Assert.NotNull(quiet.InboxETag);
        Assert.Equal(WorkflowStatus.Completed, quietClose?.Status);
        Assert.Null(signaledClose);
    }

    [Fact]
    public async Task CommitAsync_FencedCloseAfterAnActivityOutcome_ReturnsNull()
    {
        var (instance, activity) = await ScheduleAsync();
        var loaded = (await Store.LoadAsync(instance.WorkflowId, instance.RunId, 2, Ct))!;
        Assert.True(await Store.CloseActivityAsync(activity with { State = ActivityState.Closed }, ActivityOutcome(activity.RunId, 2, Json("done")), Ct));

        var closed = await Store.CommitAsync(FencedClose(loaded.Instance), Ct);

        Assert.Null(closed);
        Assert.Equal(WorkflowStatus.Running, (await Store.ReadInstanceAsync(instance.WorkflowId, Ct))?.Status);
    }

    [Fact]
    public async Task CommitAsync_FencedCloseWithoutAToken_ReturnsNullAndWritesNothing()
    {
        var started = await StartAsync();
        var read = (await Store.ReadInstanceAsync(started.WorkflowId, Ct))!;

        var closed = await Store.CommitAsync(FencedClose(read with { InboxETag = null }), Ct);

        Assert.Null(closed);
        var after = await Store.ReadInstanceAsync(started.WorkflowId, Ct);
        Assert.Equal((WorkflowStatus.Running, started.ETag), (after?.Status, after?.ETag));
    }
}
