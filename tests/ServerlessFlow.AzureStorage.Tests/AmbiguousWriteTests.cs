using Azure.Core;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// Writes whose answer is lost after storage applied them (the ambiguous case), or that never reach storage.
/// With one fault the SDK's retry re-sends the write and meets its own effect (412 or 409); with a fault on
/// every attempt the SDK gives up and the store resolves the outcome itself by re-reading.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class AmbiguousWriteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Every attempt the SDK makes: the first and its default three retries.</summary>
    private const int EveryAttempt = 4;

    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly FaultInjectionPolicy faults = new();
    private IWorkflowStore store = null!;

    public async Task InitializeAsync() => store = (await TestBackends.CreateAsync(azurite, faults)).Store;

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(1)]
    [InlineData(EveryAttempt)]
    public async Task CommitAsync_AnswerLostAfterApplied_ResolvesToCommitted(int faultedAttempts)
    {
        var started = await StartAsync();
        var commit = Next(started, Timers(2));
        faults.FailNext(FaultInjectionPolicy.IsTransaction, FaultTiming.AfterSend, faultedAttempts);

        var committed = await store.CommitAsync(commit, Ct);

        Assert.Equal(faultedAttempts, faults.Injected);
        Assert.NotNull(committed);
        var read = await store.ReadInstanceAsync(started.WorkflowId, Ct);
        Assert.Equal((3L, committed.ETag), (read!.LastEventId, read.ETag));
        Assert.NotNull(await store.CommitAsync(Next(committed, Timers(1)), Ct));
    }

    [Fact]
    public async Task CommitAsync_InsertAnswerLostAfterApplied_ResolvesToCommittedNotToAlreadyStarted()
    {
        var start = StartCommit(NewWorkflowId());
        faults.FailNext(FaultInjectionPolicy.IsTransaction, FaultTiming.AfterSend);

        var committed = await store.CommitAsync(start, Ct);

        Assert.Equal(1, faults.Injected);
        Assert.NotNull(committed);
        Assert.Equal(committed.ETag, (await store.ReadInstanceAsync(start.Instance.WorkflowId, Ct))?.ETag);
    }

    [Fact]
    public async Task CommitAsync_FailsBeforeSendOnEveryAttempt_ThrowsAndWritesNothing()
    {
        var started = await StartAsync();
        faults.FailNext(FaultInjectionPolicy.IsTransaction, FaultTiming.BeforeSend, EveryAttempt);

        var error = await Assert.ThrowsAsync<StoreException>(() => store.CommitAsync(Next(started, Timers(2)), Ct));

        Assert.Equal(0, error.Status);
        var snapshot = await store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct);
        Assert.Equal((started.ETag, 1), (snapshot!.Instance.ETag, snapshot.History.Count));
        Assert.NotNull(await store.CommitAsync(Next(started, Timers(2)), Ct));
    }

    [Fact]
    public async Task CommitAsync_OverflowAnswerLostAfterApplied_StillCommitsEveryEvent()
    {
        var started = await StartAsync();
        var commit = Next(started, Timers(250));
        faults.FailNext(FaultInjectionPolicy.IsTransaction, FaultTiming.AfterSend);

        var committed = await store.CommitAsync(commit, Ct);

        Assert.NotNull(committed);
        var history = await store.ReadHistoryAsync(started.WorkflowId, started.RunId, 1, Ct);
        Assert.Equal(commit.NewEvents.Select(Canonical), history.Select(Canonical));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(EveryAttempt)]
    public async Task AddInboxAsync_AnswerLostAfterApplied_ReturnsTrue(int faultedAttempts)
    {
        var started = await StartAsync();
        faults.FailNext(request => request.Method == RequestMethod.Post, FaultTiming.AfterSend, faultedAttempts);

        var added = await store.AddInboxAsync(started.WorkflowId, Item("signal", started.RunId), Ct);

        Assert.True(added);
        Assert.False(await store.AddInboxAsync(started.WorkflowId, Item("signal", started.RunId), Ct));
    }

    [Fact]
    public async Task AddInboxAsync_FailsBeforeSendOnEveryAttempt_ThrowsAndWritesNothing()
    {
        var started = await StartAsync();
        faults.FailNext(request => request.Method == RequestMethod.Post, FaultTiming.BeforeSend, EveryAttempt);

        await Assert.ThrowsAsync<StoreException>(() => store.AddInboxAsync(started.WorkflowId, Item("signal", started.RunId), Ct));

        Assert.Empty((await store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct))!.Inbox);
    }

    [Fact]
    public async Task UpdateActivityAsync_AnswerLostAfterApplied_ReturnsTheStoredRow()
    {
        var activity = await ScheduleAsync();
        faults.FailNext(request => request.Method == RequestMethod.Put, FaultTiming.AfterSend);

        var updated = await store.UpdateActivityAsync(activity with { Attempt = 2 }, Ct);

        Assert.Equal(1, faults.Injected);
        var read = await store.ReadActivityAsync(activity.WorkflowId, activity.RunId, 2, Ct);
        Assert.Equal((2, read!.ETag), (updated?.Attempt, updated?.ETag));
    }

    [Fact]
    public async Task CloseActivityAsync_AnswerLostAfterApplied_ReturnsTrue()
    {
        var activity = await ScheduleAsync();
        faults.FailNext(FaultInjectionPolicy.IsTransaction, FaultTiming.AfterSend);

        var closed = await store.CloseActivityAsync(activity with { State = ActivityState.Closed }, ActivityOutcome(activity.RunId, 2, Json("ok")), Ct);

        Assert.Equal(1, faults.Injected);
        Assert.True(closed);
    }

    [Fact]
    public async Task ClearOutboxAsync_AnswerLostAfterApplied_ReturnsTrue()
    {
        var started = await StartAsync(pendingOutbox: true);
        faults.FailNext(request => request.Method != RequestMethod.Get, FaultTiming.AfterSend);

        var cleared = await store.ClearOutboxAsync(started.WorkflowId, started.ETag!, Ct);

        Assert.Equal(1, faults.Injected);
        Assert.True(cleared);
        Assert.False((await store.ReadInstanceAsync(started.WorkflowId, Ct))!.OutboxPending);
    }

    private async Task<InstanceRecord> StartAsync(bool pendingOutbox = false)
    {
        var start = StartCommit(NewWorkflowId());
        start = start with { Instance = start.Instance with { OutboxPending = pendingOutbox } };
        return await store.CommitAsync(start, Ct) ?? throw new InvalidOperationException("start lost");
    }

    private async Task<ActivityTaskRecord> ScheduleAsync()
    {
        var started = await StartAsync();
        var scheduled = Scheduled(Json(1)) with { EventId = 2 };
        await store.CommitAsync(Next(started, [scheduled]) with { NewActivities = [Activity(started, scheduled)] }, Ct);
        return (await store.ReadActivityAsync(started.WorkflowId, started.RunId, 2, Ct))!;
    }
}
