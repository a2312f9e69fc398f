using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A request to cancel another workflow whose first delivery reached the target but died before its report reached the requester:
/// the redelivery finds the target closed (canceled by that very request) and must report the request delivered, not refused.
/// </summary>
public sealed class ExternalCancelRedeliveryTests
{
    [Fact]
    public async Task CancelAsync_ReportLostAfterTheTargetTookTheRequest_RedeliveryReportsItDelivered()
    {
        var memory = TestBackend.InMemory();
        var hooked = new BeforeClosingStoreCommit(memory.Store);
        await using var engine = new EngineHarness(b => b.AddWorkflow<CollectsSignals>().AddWorkflow<CancelsAnother>(), memory with { Store = hooked });
        var target = await engine.Client.StartWorkflowAsync(nameof(CollectsSignals), null, new StartWorkflowOptions());
        // The first report to the requester fails as a crash would end it: after the target took the request.
        hooked.ArmBeforeInbox(key => key.StartsWith("x-", StringComparison.Ordinal), () => throw new StoreException("The storage account did not answer.", 503));

        var requester = await engine.Client.StartWorkflowAsync(nameof(CancelsAnother), target.Id, new StartWorkflowOptions());
        var closed = await engine.Client.WaitForCloseAsync(requester.Id, TimeSpan.FromSeconds(60));

        Assert.Equal(1, hooked.Fired);
        Assert.Equal((WorkflowStatus.Completed, "canceled"), (closed.Status, closed.Result?.GetString()));
        Assert.Equal(WorkflowStatus.Canceled, (await engine.Client.DescribeWorkflowAsync(target.Id)).Status);
    }
}

/// <summary>Asks another workflow to cancel and completes once the request is delivered.</summary>
[Workflow]
public sealed class CancelsAnother
{
    /// <summary>Runs it.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync(string targetId)
    {
        await Workflow.GetExternalWorkflowHandle(targetId).CancelAsync();
        return "canceled";
    }
}
