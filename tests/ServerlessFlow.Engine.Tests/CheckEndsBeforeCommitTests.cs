using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A commit that schedules an eager activity sends no check of its own while the instance row names one armed for later. When that
/// check ends (nothing left to look at) after the commit read the row but before the commit landed, the activity is covered by
/// nothing: should its worker die, it stays started and the workflow waits forever (the chaos suite's seed 1057457298 left a
/// canceled workflow's cleanup activity so). The cancel's commit is held by a store seam until the check has ended.
/// </summary>
public abstract class CheckEndsBeforeCommitTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) =>
        b.AddWorkflow<CleansUpWhenCanceled>().AddActivities<CleanupActivities>();

    [Fact]
    public async Task Check_EndsWhileACommitRelyingOnItIsInFlight_ItsEagerActivityIsTakenOverWhenTheWorkerDies()
    {
        var real = NewBackend();
        var store = new BeforeClosingStoreCommit(real.Store);
        var queues = new HoldingQueues(real.Queues);
        var backend = real with { Store = store, Queues = queues };
        WorkflowHandle handle;
        await using (var first = new EngineHarness(Register, backend))
        {
            // The first activity runs eagerly and completes at once; the run's check comes due 4.2 s after it started.
            handle = await first.Client.StartWorkflowAsync(nameof(CleansUpWhenCanceled), null, new StartWorkflowOptions());
            await Eventually.WaitAsync(() => first.Client.GetHistoryAsync(handle.Id), history => history.OfType<TimerStarted>().Any());

            // The cancel's commit schedules the cleanup (eager, due later than the armed check, so it relies on that check) and is held
            // until the check has come due and ended: it found no activity open.
            var id = handle.Id;
            store.ArmBeforeCommit(
                commit => commit.NewActivities.Any(row => row.ActivityName == CleanupActivities.CleanUpName),
                () => Polling.UntilAsync(TimeSpan.FromSeconds(30), "the run's activity check to end", () => Task.FromResult((queues.Finished(m => m is ActivityCheckMessage check && check.WorkflowId == id), 0))));
            await first.Client.CancelWorkflowAsync(handle.Id, "test");
            await Eventually.WaitAsync(
                () => real.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None),
                rows => rows.Any(row => row.State == ActivityState.Started && row.ActivityName == CleanupActivities.CleanUpName));
            Assert.Equal(1, store.Fired);
        }

        // The worker that ran the cleanup's first attempt is gone (the attempt hung until the stop, which abandons it).
        await using var second = new EngineHarness(Register, backend);
        var closed = await second.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Canceled, closed.Status);
        var history = await second.Client.GetHistoryAsync(handle.Id);
        Assert.Contains(history.OfType<ActivityCompleted>(), completed => completed.Attempt == 2);
    }
}

public sealed class CheckEndsBeforeCommitTestsInMemory : CheckEndsBeforeCommitTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class CheckEndsBeforeCommitTestsOnAzurite(AzuriteFixture azurite) : CheckEndsBeforeCommitTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

/// <summary>Runs an activity, then waits an hour; canceled, it runs a cleanup activity and ends canceled (the chaos suite's cancel scenario).</summary>
[Workflow]
public sealed class CleansUpWhenCanceled
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        try
        {
            await Workflow.ExecuteActivityAsync((CleanupActivities a) => a.Work(), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(4) });
            await Workflow.DelayAsync(TimeSpan.FromHours(1));
            return "not canceled";
        }
        catch (WorkflowCanceledException)
        {
            // Due after the first activity's check: the commit that schedules it relies on that check.
            var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5), RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(10) } };
            await Workflow.ExecuteActivityAsync((CleanupActivities a) => a.CleanUpAsync(), options);
            throw;
        }
    }
}

public sealed class CleanupActivities
{
    /// <summary>The cleanup activity's registered name.</summary>
    public const string CleanUpName = "CleanUp";

    [Activity]
    public string Work() => "worked";

    /// <summary>Its first attempt hangs until cancelled (the worker stops); a later one completes.</summary>
    [Activity]
    public async Task<string> CleanUpAsync()
    {
        var context = ActivityExecutionContext.Current;
        if (context.Info.Attempt == 1)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        return $"cleaned up on attempt {context.Info.Attempt}";
    }
}
