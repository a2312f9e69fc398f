using Azure.Core;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A child start whose delivery dies after the child's commit, in the window where its parent closed: the parent's own
/// close message ran before the child existed and found nothing, so the redelivered start message is the only one left to
/// apply the parent's close policy. On Azurite, with the window made by pipeline policies: a hook closes the parent just
/// before the child's commit, and faults fail the delivery's last look at the parent, as a crash there would end it.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class ChildStartCrashTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(ParentClosePolicy.Terminate, WorkflowStatus.Terminated)]
    [InlineData(ParentClosePolicy.RequestCancel, WorkflowStatus.Canceled)]
    public async Task StartChild_DeliveryDiesAfterTheCommitOnceTheParentClosed_RedeliveryAppliesTheParentsPolicy(ParentClosePolicy policy, WorkflowStatus expected)
    {
        var parent = $"crash-{policy}-{Guid.NewGuid():N}";
        var child = parent + "-sleeper";
        var hook = new RequestHook();
        var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var faults = new FaultInjectionPolicy();
        var backend = TestBackend.Azure(azurite, hook, faults);
        var queues = new HoldingQueues(backend.Queues);
        await using var engine = new EngineHarness(
            b => b.AddWorkflow<ParentLeavesChild>().AddWorkflow<Sleeper>(), backend with { Queues = queues });

        // The start delivery's first read of the child's row comes after its look at the parent (running then). Before it goes,
        // the parent closes and its close message is handled: no child exists yet, so that message has nothing to act on.
        hook.Before(
            request => request.Method == RequestMethod.Get && request.Uri.ToString().Contains("sleeper", StringComparison.Ordinal),
            async () =>
            {
                await engine.Client.SignalWorkflowAsync(parent, "Finish", null);
                Assert.Equal(WorkflowStatus.Completed, (await engine.Client.WaitForCloseAsync(parent, TimeSpan.FromSeconds(30))).Status);
                await Eventually.WaitAsync(
                    () => Task.FromResult(queues.Settled), settled => settled.Any(m => m is ParentClosedMessage closed && closed.WorkflowId == child));

                // The delivery then commits the child, and dies at its next look at the parent (every SDK attempt of it fails).
                faults.FailNext(
                    request => request.Method == RequestMethod.Get && request.Uri.ToString().Contains(parent, StringComparison.Ordinal)
                        && !request.Uri.ToString().Contains("sleeper", StringComparison.Ordinal),
                    FaultTiming.BeforeSend,
                    times: 4);
                armed.SetResult();
            });

        await engine.Client.StartWorkflowAsync(nameof(ParentLeavesChild), policy, new StartWorkflowOptions { Id = parent });

        await armed.Task.WaitAsync(TimeSpan.FromSeconds(60)); // no read of the child before this: the hook is for the start delivery's

        // The redelivered start message finds the parent closed and the child started by the delivery that died.
        var closed = await Eventually.WaitAsync(() => ChildWorkflowTests.DescribeIfStartedAsync(engine.Client, child), d => d is { Status: not WorkflowStatus.Running }, TimeSpan.FromSeconds(60));
        Assert.Equal(expected, closed!.Status);
        Assert.Equal(1, hook.Fired);
        Assert.Equal(4, faults.Injected);
    }
}
