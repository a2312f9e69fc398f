using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using Xunit;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.TestSupport;

/// <summary>Purge: everything of a closed workflow goes, the instance row last; open or newer runs are never touched.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>A budget no test partition exceeds.</summary>
    private const int AmpleBudget = 1_000;

    /// <summary>The smallest budget the contract allows.</summary>
    private const int SmallBudget = 100;

    [Fact]
    public async Task PurgeAsync_ClosedWorkflow_RemovesEveryRunInboxAndActivityAndTheInstance()
    {
        var chain = await ClosedChain.CommitAsync(Store, NewWorkflowId(), timersPerRun: 3, bigPayloads: true, Ct);

        var outcome = await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, AmpleBudget, Ct);

        Assert.Equal(PurgeOutcome.Purged, outcome);
        Assert.Null(await Store.ReadInstanceAsync(chain.WorkflowId, Ct));
        Assert.Null(await Store.LoadAsync(chain.WorkflowId, null, 0, Ct));
        Assert.Null(await Store.ReadActivityAsync(chain.WorkflowId, chain.RunIds[0], 2, Ct));
        foreach (var runId in chain.RunIds)
        {
            Assert.Empty(await Store.ReadHistoryAsync(chain.WorkflowId, runId, 0, Ct));
            Assert.Null(await Store.ReadEventAsync(chain.WorkflowId, runId, 1, Ct));
        }

        Assert.Equal(PurgeOutcome.NotFound, await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, AmpleBudget, Ct));
    }

    [Theory]
    [InlineData(WorkflowStatus.Running)]
    [InlineData(WorkflowStatus.ContinuedAsNew)]
    public async Task PurgeAsync_OpenRun_NotClosedAndNothingDeleted(WorkflowStatus status)
    {
        var started = await StartAsync();
        var current = await CommitAsync(Next(started with { Status = status }, Timers(3)));
        await Store.AddInboxAsync(started.WorkflowId, Item("signal", started.RunId), Ct);

        var outcome = await Store.PurgeAsync(started.WorkflowId, started.RunId, AmpleBudget, Ct);

        Assert.Equal(PurgeOutcome.NotClosed, outcome);
        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct);
        Assert.Equal(current.ETag, snapshot!.Instance.ETag);
        Assert.Equal([1L, 2L, 3L, 4L], snapshot.History.Select(e => e.EventId));
        Assert.Equal("signal", Assert.Single(snapshot.Inbox).Key);
    }

    [Fact]
    public async Task PurgeAsync_AnotherRunId_RunChangedAndNothingDeleted()
    {
        var chain = await ClosedChain.CommitAsync(Store, NewWorkflowId(), timersPerRun: 2, bigPayloads: false, Ct);

        var outcome = await Store.PurgeAsync(chain.WorkflowId, chain.RunIds[0], AmpleBudget, Ct);

        Assert.Equal(PurgeOutcome.RunChanged, outcome);
        var snapshot = await Store.LoadAsync(chain.WorkflowId, chain.Closed.RunId, 0, Ct);
        Assert.Equal(chain.Closed.ETag, snapshot!.Instance.ETag);
        Assert.Equal(ClosedChain.LeftoverInboxKey, Assert.Single(snapshot.Inbox).Key);
        Assert.Equal(5, (await Store.ReadHistoryAsync(chain.WorkflowId, chain.RunIds[0], 0, Ct)).Count);
    }

    [Fact]
    public async Task PurgeAsync_UnknownWorkflow_NotFound() =>
        Assert.Equal(PurgeOutcome.NotFound, await Store.PurgeAsync(NewWorkflowId(), NewRunId(), AmpleBudget, Ct));

    [Fact]
    public async Task PurgeAsync_SmallBudget_MoreToDoUntilPurged()
    {
        var chain = await ClosedChain.CommitAsync(Store, NewWorkflowId(), timersPerRun: 120, bigPayloads: false, Ct);

        var outcomes = new List<PurgeOutcome> { await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, SmallBudget, Ct) };
        var afterFirst = await Store.ReadInstanceAsync(chain.WorkflowId, Ct);
        while (outcomes[^1] == PurgeOutcome.MoreToDo && outcomes.Count < 20)
        {
            outcomes.Add(await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, SmallBudget, Ct));
        }

        // 3 runs of 122-123 events: at least 4 budgets of 100 rows, the instance row kept until the last.
        Assert.Equal(chain.Closed.RunId, afterFirst?.RunId);
        Assert.Equal(PurgeOutcome.Purged, outcomes[^1]);
        Assert.All(outcomes.SkipLast(1), outcome => Assert.Equal(PurgeOutcome.MoreToDo, outcome));
        Assert.InRange(outcomes.Count, 4, 6);
        Assert.Null(await Store.LoadAsync(chain.WorkflowId, null, 0, Ct));
        foreach (var runId in chain.RunIds)
        {
            Assert.Empty(await Store.ReadHistoryAsync(chain.WorkflowId, runId, 0, Ct));
        }
    }

    [Fact]
    public async Task PurgeAsync_NewRunStartedAfterMoreToDo_RunChangedAndNewRunIntact()
    {
        var chain = await ClosedChain.CommitAsync(Store, NewWorkflowId(), timersPerRun: 120, bigPayloads: false, Ct);
        var first = await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, SmallBudget, Ct);
        var newRun = await ClosedChain.StartNewRunAsync(Store, chain.Closed, Ct);
        await Store.AddInboxAsync(chain.WorkflowId, Item("for-the-new-run", newRun.RunId), Ct);

        var second = await Store.PurgeAsync(chain.WorkflowId, chain.Closed.RunId, SmallBudget, Ct);

        Assert.Equal((PurgeOutcome.MoreToDo, PurgeOutcome.RunChanged), (first, second));
        var snapshot = await Store.LoadAsync(chain.WorkflowId, newRun.RunId, 0, Ct);
        Assert.Equal((newRun.RunId, newRun.ETag), (snapshot!.Instance.RunId, snapshot.Instance.ETag));
        Assert.Equal("new run", Assert.IsType<WorkflowStarted>(Assert.Single(snapshot.History)).Input?.GetString());
        Assert.Contains(snapshot.Inbox, item => item.Key == "for-the-new-run");
        Assert.Single(await Store.ReadHistoryAsync(chain.WorkflowId, newRun.RunId, 0, Ct));
        Assert.NotNull(await Store.CommitAsync(Next(snapshot.Instance, Timers(2)), Ct));
    }
}
