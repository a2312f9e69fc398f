using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A child start whose delivery dies after the child's commit, on Azurite with the recovery sweep effectively off: the redelivered
/// start message must get the child running.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class ChildStartWithoutSweepTests(AzuriteFixture azurite)
{
    /// <summary>Far beyond any test: the sweep never runs.</summary>
    private static readonly TimeSpan NoSweep = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartChild_DeliveryDiesAfterTheChildsCommit_RedeliveryRunsTheChildWithoutTheSweep(bool eagerStart)
    {
        var parent = $"dies-{eagerStart}-{Guid.NewGuid():N}";
        var hook = new RequestHook();
        var faults = new FaultInjectionPolicy();
        await using var engine = new EngineHarness(
            b => b.AddWorkflow<Doubler>().AddWorkflow<ParentForgetsChild>()
                .ConfigureWorker(o => o with { EagerStart = eagerStart, SweepInterval = NoSweep, StallThreshold = NoSweep }),
            TestBackend.Azure(azurite, hook, faults));

        // The start delivery reads the child's row (none yet) and commits the child's start; its next write, the start's report to the
        // parent, fails on every SDK attempt, as if the process died right after the commit: the child's first wake-up was never sent. The delivery's message comes back (with back-off) and finds the child started.
        var batches = 0;
        hook.Before(
            request => request.Method == Azure.Core.RequestMethod.Get && request.Uri.ToString().Contains(parent + "-child-", StringComparison.Ordinal),
            () =>
            {
                faults.FailNext(request => FaultInjectionPolicy.IsTransaction(request) && ++batches > 1, FaultTiming.BeforeSend, times: 4);
                return Task.CompletedTask;
            });

        var closedParent = await engine.RunAsync(nameof(ParentForgetsChild), null, parent);
        var child = closedParent.GetResult<string>()!;
        var closedChild = await engine.Client.WaitForCloseAsync(child, TimeSpan.FromSeconds(60));

        Assert.Equal(WorkflowStatus.Completed, closedChild.Status);
        Assert.Equal(42, closedChild.GetResult<int>());
        Assert.Equal(1, hook.Fired);
        Assert.Equal(4, faults.Injected);
    }
}
