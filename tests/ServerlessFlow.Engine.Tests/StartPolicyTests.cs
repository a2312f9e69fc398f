using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

public abstract class StartPolicyTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<TimerWorkflow>().AddWorkflow<ThrowsAfterActivity>().AddActivities<FlakyActivities>().AddSamples();

    [Fact]
    public async Task Start_ConflictPolicies_FailUseExistingOrTerminateExisting()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var first = await engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), 3_600_000, new StartWorkflowOptions { Id = "open" });

        await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() => engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), 1, new StartWorkflowOptions { Id = "open" }));
        var existing = await engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), 1, new StartWorkflowOptions { Id = "open", IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting });
        Assert.Equal(first.RunId, existing.RunId);

        var replaced = await engine.Client.StartWorkflowAsync(nameof(TimerWorkflow), 1, new StartWorkflowOptions { Id = "open", IdConflictPolicy = WorkflowIdConflictPolicy.TerminateExisting });
        Assert.NotEqual(first.RunId, replaced.RunId);
        Assert.Equal(WorkflowStatus.Completed, (await engine.Client.WaitForCloseAsync("open", TimeSpan.FromSeconds(30))).Status);
    }

    [Fact]
    public async Task Start_ReusePolicies_RejectOrAllowOnlyAfterFailure()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        await engine.RunAsync("HelloSequence", new HelloInput(1, 1), "done");
        await engine.RunAsync(nameof(ThrowsAfterActivity), null, "failed");

        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.StartWorkflowAsync("HelloSequence", new HelloInput(1, 1), new StartWorkflowOptions { Id = "done", IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate }));
        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.StartWorkflowAsync("HelloSequence", new HelloInput(1, 1), new StartWorkflowOptions { Id = "done", IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicateFailedOnly }));
        var again = await engine.Client.StartWorkflowAsync("HelloSequence", new HelloInput(1, 1), new StartWorkflowOptions { Id = "failed", IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicateFailedOnly });
        Assert.Equal(WorkflowStatus.Completed, (await engine.Client.WaitForCloseAsync(again.Id, TimeSpan.FromSeconds(30))).Status);
    }

    [Fact]
    public async Task SignalWithStart_UnknownSignal_RejectedAndNothingStarted()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() =>
            engine.Client.SignalWithStartAsync("LoanApprovalWorkflow", new LoanApplication("nobody", 1m), new StartWorkflowOptions { Id = "loan-typo" }, "decied", null));

        Assert.Contains("decide", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.DescribeWorkflowAsync("loan-typo"));
    }

    [Fact]
    public async Task SignalWithStart_NotRunning_StartsAndDeliversOnce()
    {
        await using var engine = new EngineHarness(Register, NewBackend());

        // The repeat is sent at once, together with the first: the signal closes the run within milliseconds, and a
        // signal-with-start that arrives after the close rightly starts a new run (as in Temporal).
        Task<WorkflowHandle> Send() => engine.Client.SignalWithStartAsync("LoanApprovalWorkflow", new LoanApplication("zoe", 5m), new StartWorkflowOptions { Id = "loan-zoe" }, "decide", new LoanDecision(true, "early-bird"), "req-1");
        var both = await Task.WhenAll(Send(), Send());
        var (handle, again) = (both[0], both[1]);
        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(handle.RunId, again.RunId);
        Assert.Equal("approved by early-bird", closed.GetResult<string>());
        Assert.Single((await engine.Client.GetHistoryAsync(handle.Id)).OfType<WorkflowSignaled>());
    }
}

public sealed class StartPolicyTestsInMemory : StartPolicyTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class StartPolicyTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : StartPolicyTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
