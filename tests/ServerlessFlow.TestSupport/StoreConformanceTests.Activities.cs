using ServerlessFlow.Engine.Backend;
using Xunit;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.TestSupport;

/// <summary>Activity rows: created and deleted by commits, updated and closed by workers under their ETag.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>Starts a workflow and commits one scheduled activity; returns the instance and the stored activity row.</summary>
    protected async Task<(InstanceRecord Instance, ActivityTaskRecord Activity)> ScheduleAsync(int inputBytes = 16)
    {
        var started = await StartAsync();
        var scheduled = Scheduled(Payload(inputBytes)) with { EventId = 2 };
        var instance = await CommitAsync(Next(started, [scheduled]) with { NewActivities = [Activity(started, scheduled)] });
        var activity = await Store.ReadActivityAsync(instance.WorkflowId, instance.RunId, 2, Ct);
        return (instance, activity ?? throw new InvalidOperationException("The committed activity row is missing."));
    }

    [Fact]
    public async Task CommitAsync_NewActivity_IsReadBackWhole()
    {
        var (instance, activity) = await ScheduleAsync();

        var expected = Activity(instance, Scheduled(Payload(16)) with { EventId = 2 });
        Assert.NotNull(activity.ETag);
        Assert.Equal((expected.ActivityName, expected.Input.GetString(), ActivityState.Scheduled, 1), (activity.ActivityName, activity.Input.GetString(), activity.State, activity.Attempt));
    }

    [Fact]
    public async Task ReadActivityAsync_TwoMegabyteInput_ReturnsItWhole()
    {
        var (_, activity) = await ScheduleAsync(TwoMegabytes);

        Assert.Equal(Payload(TwoMegabytes).GetString(), activity.Input.GetString());
    }

    [Fact]
    public async Task UpdateActivityAsync_CurrentETag_StoresAndReturnsNewETag()
    {
        var (_, activity) = await ScheduleAsync();

        var updated = await Store.UpdateActivityAsync(activity with { State = ActivityState.Started, Attempt = 2, StartedAt = DateTimeOffset.UtcNow }, Ct);

        Assert.NotNull(updated?.ETag);
        Assert.NotEqual(activity.ETag, updated.ETag);
        var read = await Store.ReadActivityAsync(activity.WorkflowId, activity.RunId, 2, Ct);
        Assert.Equal((ActivityState.Started, 2, updated.ETag), (read?.State, read?.Attempt, read?.ETag));
    }

    [Fact]
    public async Task UpdateActivityAsync_StaleETag_ReturnsNullAndKeepsTheRow()
    {
        var (_, activity) = await ScheduleAsync();
        var current = await Store.UpdateActivityAsync(activity with { Attempt = 2 }, Ct);

        var stale = await Store.UpdateActivityAsync(activity with { Attempt = 3 }, Ct);

        Assert.Null(stale);
        var read = await Store.ReadActivityAsync(activity.WorkflowId, activity.RunId, 2, Ct);
        Assert.Equal((2, current!.ETag), (read?.Attempt, read?.ETag));
    }

    [Fact]
    public async Task CloseActivityAsync_CurrentETag_ClosesAndAddsOutcomeAtomically()
    {
        var (_, activity) = await ScheduleAsync();
        var outcome = ActivityOutcome(activity.RunId, 2, Json("done"));

        var closed = await Store.CloseActivityAsync(activity with { State = ActivityState.Closed }, outcome, Ct);

        Assert.True(closed);
        var snapshot = await Store.LoadAsync(activity.WorkflowId, activity.RunId, 2, Ct);
        Assert.Equal(Canonical(outcome.Event), Canonical(Assert.Single(snapshot!.Inbox).Event));
        Assert.Equal(ActivityState.Closed, (await Store.ReadActivityAsync(activity.WorkflowId, activity.RunId, 2, Ct))?.State);
    }

    [Fact]
    public async Task CloseActivityAsync_StaleETag_ReturnsFalseAndWritesNothing()
    {
        var (_, activity) = await ScheduleAsync();
        var current = await Store.UpdateActivityAsync(activity with { Attempt = 2 }, Ct);

        var closed = await Store.CloseActivityAsync(activity with { State = ActivityState.Closed }, ActivityOutcome(activity.RunId, 2, Json(1)), Ct);

        Assert.False(closed);
        var snapshot = await Store.LoadAsync(activity.WorkflowId, activity.RunId, 2, Ct);
        Assert.Empty(snapshot!.Inbox);
        Assert.Equal(current!.ETag, (await Store.ReadActivityAsync(activity.WorkflowId, activity.RunId, 2, Ct))?.ETag);
    }

    [Fact]
    public async Task CloseActivityAsync_OutcomeAlreadyThere_ReturnsFalseAndLeavesTheRow()
    {
        var (_, activity) = await ScheduleAsync();
        var outcome = ActivityOutcome(activity.RunId, 2, Json("first"));
        await Store.AddInboxAsync(activity.WorkflowId, outcome, Ct);

        var closed = await Store.CloseActivityAsync(activity with { State = ActivityState.Closed }, outcome with { Event = new ServerlessFlow.History.ActivityCompleted { ScheduledEventId = 2, Result = Json("second"), Attempt = 1 } }, Ct);

        Assert.False(closed);
        var read = await Store.ReadActivityAsync(activity.WorkflowId, activity.RunId, 2, Ct);
        Assert.Equal((activity.ETag, ActivityState.Scheduled), (read?.ETag, read?.State));
        var snapshot = await Store.LoadAsync(activity.WorkflowId, activity.RunId, 2, Ct);
        Assert.Equal(Canonical(outcome.Event), Canonical(Assert.Single(snapshot!.Inbox).Event));
    }

    [Fact]
    public async Task CommitAsync_DeletedActivity_IsGone()
    {
        var (instance, activity) = await ScheduleAsync();
        var outcome = ActivityOutcome(activity.RunId, 2, Json(3));
        await Store.CloseActivityAsync(activity with { State = ActivityState.Closed }, outcome, Ct);

        await CommitAsync(Next(instance, [outcome.Event], [outcome.Key]) with { DeletedActivities = [2] });

        Assert.Null(await Store.ReadActivityAsync(activity.WorkflowId, activity.RunId, 2, Ct));
        Assert.Empty((await Store.LoadAsync(activity.WorkflowId, activity.RunId, 3, Ct))!.Inbox);
    }
}
