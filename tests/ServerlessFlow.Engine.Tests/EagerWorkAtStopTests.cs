using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Eager work this process takes just as it stops — a start's first task, activities its commit wrote as started — is handed to its
/// queue at once, neither run nor left for the recovery sweep or an activity's deadline.
/// </summary>
public sealed class EagerWorkAtStopTests
{
    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<FiveSteps>().AddWorkflow<OneBusyStep>().AddActivities<ReliableActivities>();

    [Fact]
    public async Task EagerStart_AfterTheProcessStoppedItsEagerRuns_HandsTheRunToItsQueueAtOnce()
    {
        // The recovery sweep off: only a wake-up on the workflow's queue can start the run.
        await using var engine = new EngineHarness(b => Register(b.ConfigureWorker(o => o with { SweepInterval = TimeSpan.FromHours(1) })), TestBackend.InMemory());
        // What disposing the container does first: a start request still in flight (or a schedule's start) meets eager runs stopped.
        await engine.Get<EagerRuns>().DisposeAsync();

        var handle = await engine.Client.StartWorkflowAsync(nameof(FiveSteps), null, new StartWorkflowOptions());
        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(5, closed.GetResult<int>());
    }

    [Fact]
    public async Task EagerActivity_CommittedAsTheWorkerStops_IsHandedToItsQueueAtOnceNotAtItsDeadline()
    {
        var memory = TestBackend.InMemory();
        var hooked = new BeforeClosingStoreCommit(memory.Store);
        await using var engine = new EngineHarness(Register, memory with { Store = hooked });
        // The eager start's first task runs under the process's stop; the stop comes while the commit that starts the first activity
        // here is being made (synchronously, as a container disposed that way tells its eager runs).
        hooked.ArmBeforeCommit(
            commit => commit.NewActivities.Any(a => a.State == ActivityState.Started),
            () =>
            {
                engine.Get<EagerRuns>().Dispose();
                return Task.CompletedTask;
            });

        var handle = await engine.Client.StartWorkflowAsync(nameof(OneBusyStep), null, new StartWorkflowOptions());
        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(1, hooked.Fired);
        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        // Its first attempt ran (through the queue): it was not left started, to be expired at its deadline and retried.
        var history = await engine.Client.GetHistoryAsync(handle.Id);
        Assert.Equal(1, Assert.Single(history.OfType<ActivityCompleted>()).Attempt);
    }
}

/// <summary>One activity that awaits (so a stopped worker abandons it rather than finish it inline), with a deadline well past the test's wait.</summary>
[Workflow]
public sealed class OneBusyStep
{
    /// <summary>Runs it.</summary>
    [WorkflowRun]
    public Task<string> RunAsync() =>
        Workflow.ExecuteActivityAsync((ReliableActivities a) => a.BrieflyBusyAsync(), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(2) });
}
