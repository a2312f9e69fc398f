using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

public abstract class MessagingTests : EngineSuite
{
    [Fact]
    public async Task LoanApproval_SignalApproves_QueryShowsEachStageAndResultNamesReviewer()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());
        var handle = await engine.Client.StartWorkflowAsync("LoanApprovalWorkflow", new LoanApplication("alice", 1000m), new StartWorkflowOptions());
        await Eventually.WaitAsync(() => engine.Client.QueryWorkflowAsync(handle.Id, "status", null), s => s?.GetString() == "awaiting-decision");

        await engine.Client.SignalWorkflowAsync(handle.Id, "decide", new LoanDecision(true, "bob"), requestId: "decision-1");
        await engine.Client.SignalWorkflowAsync(handle.Id, "decide", new LoanDecision(false, "mallory"), requestId: "decision-1"); // same request ID: a no-op
        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal("approved by bob", closed.GetResult<string>());
        Assert.Equal("approved", (await engine.Client.QueryWorkflowAsync(handle.Id, "status", null))?.GetString());
        var history = await engine.Client.GetHistoryAsync(handle.Id);
        Assert.Single(history.OfType<WorkflowSignaled>());
        Assert.Equal("Disburse", history.OfType<ActivityScheduled>().Last().ActivityName);
    }

    [Fact]
    public async Task LoanApproval_NoDecisionBeforeWindow_WaitConditionTimesOut()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());

        var closed = await engine.RunAsync("LoanApprovalWorkflow", new LoanApplication("carol", 50m, TimeSpan.FromMilliseconds(300)));

        Assert.Equal("expired: no decision in time", closed.GetResult<string>());
    }

    [Fact]
    public async Task Query_DoesNotWriteHistory()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());
        var handle = await engine.Client.StartWorkflowAsync("LoanApprovalWorkflow", new LoanApplication("dave", 10m), new StartWorkflowOptions());
        await Eventually.WaitAsync(() => engine.Client.QueryWorkflowAsync(handle.Id, "status", null), s => s?.GetString() == "awaiting-decision");
        var before = (await engine.Client.DescribeWorkflowAsync(handle.Id)).HistoryLength;

        for (var i = 0; i < 3; i++)
        {
            await engine.Client.QueryWorkflowAsync(handle.Id, "status", null);
        }

        Assert.Equal(before, (await engine.Client.DescribeWorkflowAsync(handle.Id)).HistoryLength);
    }

    [Fact]
    public async Task SignalAndQuery_UnknownNames_RejectedWithKnownNames()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());
        var handle = await engine.Client.StartWorkflowAsync("LoanApprovalWorkflow", new LoanApplication("erin", 10m), new StartWorkflowOptions());

        var signal = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.SignalWorkflowAsync(handle.Id, "approve", null));
        var query = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.QueryWorkflowAsync(handle.Id, "state", null));

        Assert.Contains("decide", signal.Message, StringComparison.Ordinal);
        Assert.Contains("status", query.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patched_OldRunReplayedByNewCode_KeepsOldPathWhileNewRunsTakeNewPath()
    {
        var backend = NewBackend();
        string oldRun;
        await using (var before = new EngineHarness(b => b.AddWorkflow<PatchableBefore>().AddActivities<FlakyActivities>(), backend))
        {
            oldRun = (await before.Client.StartWorkflowAsync("Patchable", null, new StartWorkflowOptions())).Id;
            await Eventually.WaitAsync(() => before.Client.DescribeWorkflowAsync(oldRun), d => d.PendingActivities.Count == 1);
        }

        string newRun;
        await using (var after = new EngineHarness(b => b.AddWorkflow<PatchableAfter>().AddActivities<FlakyActivities>().ConfigureWorker(o => o with { TaskQueues = ["default", "held"] }), backend))
        {
            newRun = (await after.Client.StartWorkflowAsync("Patchable", null, new StartWorkflowOptions())).Id;

            Assert.Equal("old", (await after.Client.WaitForCloseAsync(oldRun, TimeSpan.FromSeconds(30))).GetResult<string>());
            Assert.Equal("new True", (await after.Client.WaitForCloseAsync(newRun, TimeSpan.FromSeconds(30))).GetResult<string>());
            Assert.Empty((await after.Client.GetHistoryAsync(oldRun)).OfType<MarkerRecorded>());
            Assert.Equal("count-instead", Assert.Single((await after.Client.GetHistoryAsync(newRun)).OfType<MarkerRecorded>()).PatchId);
        }

        // Deprecated: a history recorded with the marker still replays, and a new run records it again.
        await using var deprecated = new EngineHarness(b => b.AddWorkflow<PatchableDeprecated>().AddActivities<FlakyActivities>().ConfigureWorker(o => o with { TaskQueues = ["default", "held"] }), backend);
        var history = await deprecated.Client.GetHistoryAsync(newRun);
        var replay = Replaying.New(typeof(PatchableDeprecated), "Patchable", newRun, "r");
        replay.Replay(history);
        var fresh = await deprecated.RunAsync("Patchable", null);
        Assert.Equal("new True", fresh.GetResult<string>());
    }
}

public abstract class UpdateTests : EngineSuite
{
    [Fact]
    public async Task Update_Accepted_ReturnsResultAppliedOncePerUpdateId()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());
        var handle = await engine.Client.StartWorkflowAsync("LoanApprovalWorkflow", new LoanApplication("fred", 100m), new StartWorkflowOptions());
        await Eventually.WaitAsync(() => engine.Client.QueryWorkflowAsync(handle.Id, "status", null), s => s?.GetString() == "awaiting-decision");

        var result = await engine.Client.UpdateWorkflowAsync(handle.Id, "set-amount", 250m, "u-1");
        var repeat = await engine.Client.UpdateWorkflowAsync(handle.Id, "set-amount", 999m, "u-1");
        await engine.Client.SignalWorkflowAsync(handle.Id, "decide", new LoanDecision(true, "gina"));
        await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(250m, result!.Value.GetDecimal());
        Assert.Equal(250m, repeat!.Value.GetDecimal());
        var history = await engine.Client.GetHistoryAsync(handle.Id);
        Assert.Single(history.OfType<WorkflowUpdateAccepted>());
        Assert.Contains("250", history.OfType<ActivityScheduled>().Last().Input.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_RejectedByValidator_ThrowsAndLeavesNoTraceInHistory()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());
        var handle = await engine.Client.StartWorkflowAsync("LoanApprovalWorkflow", new LoanApplication("hank", 100m), new StartWorkflowOptions());
        await Eventually.WaitAsync(() => engine.Client.QueryWorkflowAsync(handle.Id, "status", null), s => s?.GetString() == "awaiting-decision");
        var before = (await engine.Client.GetHistoryAsync(handle.Id)).Count;

        var error = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => engine.Client.UpdateWorkflowAsync(handle.Id, "set-amount", -5m));

        Assert.True(error.Rejected);
        Assert.Contains("must be positive", error.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await engine.Client.GetHistoryAsync(handle.Id)).Count);
        Assert.Equal(before, (await engine.Client.DescribeWorkflowAsync(handle.Id)).HistoryLength);
    }
}

public sealed class MessagingTestsInMemory : MessagingTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class MessagingTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : MessagingTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

public sealed class UpdateTestsInMemory : UpdateTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class UpdateTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : UpdateTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
