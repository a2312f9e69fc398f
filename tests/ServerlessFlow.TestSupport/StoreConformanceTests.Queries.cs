using ServerlessFlow.Engine.Backend;
using Xunit;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.TestSupport;

/// <summary>Instance-row merges (outbox flag, task failure) and the cross-workflow queries (list, stalled sweep).</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>Starts a workflow whose start commit left an unsent outbox.</summary>
    protected Task<InstanceRecord> StartWithPendingOutboxAsync(string? workflowId = null)
    {
        var start = StartCommit(workflowId ?? NewWorkflowId());
        var message = new WorkflowTaskMessage { WorkflowId = start.Instance.WorkflowId, RunId = start.Instance.RunId };
        return StartAsync(commit: start with
        {
            Instance = start.Instance with { OutboxPending = true, Outbox = [new OutboundMessage(QueueNames.Workflow("default"), message)] },
        });
    }

    [Fact]
    public async Task ClearOutboxAsync_CurrentETag_ClearsTheFlagAndKeepsTheRest()
    {
        var started = await StartWithPendingOutboxAsync();

        var cleared = await Store.ClearOutboxAsync(started.WorkflowId, started.ETag!, Ct);

        Assert.True(cleared);
        var read = await Store.ReadInstanceAsync(started.WorkflowId, Ct);
        Assert.False(read!.OutboxPending);
        Assert.Equal((started.RunId, started.LastEventId), (read.RunId, read.LastEventId));
    }

    [Fact]
    public async Task ClearOutboxAsync_StaleETag_ReturnsFalseAndKeepsTheFlag()
    {
        var started = await StartWithPendingOutboxAsync();
        await CommitAsync(Next(started, Timers(1)));

        var cleared = await Store.ClearOutboxAsync(started.WorkflowId, started.ETag!, Ct);

        Assert.False(cleared);
        Assert.True((await Store.ReadInstanceAsync(started.WorkflowId, Ct))!.OutboxPending);
    }

    [Fact]
    public async Task RecordTaskFailureAsync_CurrentETag_StoresTheFailureOnly()
    {
        var started = await StartAsync();

        await Store.RecordTaskFailureAsync(started.WorkflowId, started.ETag!, "history recorded ActivityScheduled 'A' at event 2; the code now did TimerStarted", Ct);

        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct);
        Assert.StartsWith("history recorded", snapshot!.Instance.LastTaskFailure, StringComparison.Ordinal);
        Assert.Single(snapshot.History);
    }

    [Fact]
    public async Task RecordTaskFailureAsync_StaleETag_IsIgnored()
    {
        var started = await StartAsync();
        var current = await CommitAsync(Next(started, Timers(1)));

        await Store.RecordTaskFailureAsync(started.WorkflowId, started.ETag!, "too late", Ct);

        var read = await Store.ReadInstanceAsync(started.WorkflowId, Ct);
        Assert.Null(read!.LastTaskFailure);
        Assert.Equal(current.ETag, read.ETag);
    }

    [Fact]
    public async Task ListInstancesAsync_FilterAndPages_ReturnsNewestFirstWithoutGapsOrRepeats()
    {
        var type = "List" + Guid.NewGuid().ToString("N");
        var created = new DateTimeOffset(2031, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var started = await StartAsync(commit: StartCommit(NewWorkflowId($"list{i}"), createdAt: created.AddMinutes(i), workflowType: type));
            ids.Add(started.WorkflowId);
        }

        await StartAsync(commit: StartCommit(NewWorkflowId("other"), workflowType: type + "x"));
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await Store.ListInstancesAsync(new InstanceQuery { WorkflowType = type, Status = WorkflowStatus.Running, PageSize = 2, ContinuationToken = token }, Ct);
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items.Select(i => i.WorkflowId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(Enumerable.Reverse(ids), seen);
        var completed = await Store.ListInstancesAsync(new InstanceQuery { WorkflowType = type, Status = WorkflowStatus.Completed }, Ct);
        Assert.Empty(completed.Items);
    }

    [Fact]
    public async Task FindStalledAsync_PendingOutboxOrInboxRow_ReturnsThoseOlderThanTheThreshold()
    {
        var outbox = await StartWithPendingOutboxAsync();
        var inbox = await StartAsync();
        await Store.AddInboxAsync(inbox.WorkflowId, Item("signal", inbox.RunId), Ct);
        var idle = await StartAsync();

        var stalled = await Store.FindStalledAsync(DateTimeOffset.UtcNow.AddMinutes(1), 100, Ct);
        var fresh = await Store.FindStalledAsync(DateTimeOffset.UtcNow.AddHours(-1), 100, Ct);

        Assert.Contains(outbox.WorkflowId, stalled);
        Assert.Contains(inbox.WorkflowId, stalled);
        Assert.DoesNotContain(idle.WorkflowId, stalled);
        Assert.DoesNotContain(outbox.WorkflowId, fresh);
        Assert.DoesNotContain(inbox.WorkflowId, fresh);
    }

    [Fact]
    public async Task FindStalledAsync_Max_LimitsTheResult()
    {
        for (var i = 0; i < 3; i++)
        {
            await StartWithPendingOutboxAsync();
        }

        var stalled = await Store.FindStalledAsync(DateTimeOffset.UtcNow.AddMinutes(1), 2, Ct);

        Assert.Equal(2, stalled.Count);
    }

    [Fact]
    public async Task FindStalledAsync_OpenRunWithATimerOverdue_ReturnsItUnlessClosedOrSuspended()
    {
        var now = DateTimeOffset.UtcNow;
        PendingTimer[] overdue = [new(2, now.AddMinutes(-5)), new(3, now.AddHours(1))];
        var open = await WithTimersAsync(await StartAsync(), overdue);
        var notYet = await WithTimersAsync(await StartAsync(), [new(2, now.AddMinutes(5))]);
        var suspended = await WithTimersAsync(await StartAsync(), overdue, i => i with { Suspension = new WorkflowSuspension(now, "held") });
        var closed = await WithTimersAsync(await StartAsync(), overdue, i => i with { Status = WorkflowStatus.Completed, ClosedAt = now });

        var stalled = await Store.FindStalledAsync(now.AddMinutes(-1), 100, Ct);

        Assert.Contains(open.WorkflowId, stalled);
        Assert.DoesNotContain(notYet.WorkflowId, stalled);
        Assert.DoesNotContain(suspended.WorkflowId, stalled);
        Assert.DoesNotContain(closed.WorkflowId, stalled);
    }

    private async Task<InstanceRecord> WithTimersAsync(InstanceRecord started, IReadOnlyList<PendingTimer> timers, Func<InstanceRecord, InstanceRecord>? change = null)
    {
        var commit = Next(started, Timers(1));
        var instance = commit.Instance with { Timers = timers };
        return await CommitAsync(commit with { Instance = change is null ? instance : change(instance) });
    }
}
