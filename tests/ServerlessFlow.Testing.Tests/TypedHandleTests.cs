using ServerlessFlow.Samples;

namespace ServerlessFlow.Testing.Tests;

/// <summary>The loan approval driven through typed handles in the test environment.</summary>
public sealed class TypedHandleTests
{
    [Fact]
    public async Task Handle_LoanApproval_UpdateSignalQueryAndResultAreTyped()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(flow => flow.AddWorkflow<LoanApprovalWorkflow>().AddActivities<LoanActivities>());
        var handle = await env.Client.StartWorkflowAsync((LoanApprovalWorkflow wf) => wf.RunAsync(new LoanApplication("alice", 1000m)), new StartWorkflowOptions { Id = "loan-alice" });
        await env.DelayAsync(TimeSpan.Zero);

        var status = await handle.QueryAsync(wf => wf.Status);
        decimal amount = await handle.ExecuteUpdateAsync(wf => wf.SetAmountAsync(1500m));
        await handle.SignalAsync(wf => wf.Decide(new LoanDecision(true, "bob")));
        string result = await handle.GetResultAsync();

        Assert.Equal("awaiting-decision", status);
        Assert.Equal(1500m, amount);
        Assert.Equal("approved by bob", result);
    }

    [Fact]
    public async Task GetResultAsync_NoDecisionWithinTheWindow_ExpiresAfterSevenVirtualDays()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(flow => flow.AddWorkflow<LoanApprovalWorkflow>().AddActivities<LoanActivities>());
        var started = env.UtcNow;

        var result = await env.Client.ExecuteWorkflowAsync((LoanApprovalWorkflow wf) => wf.RunAsync(new LoanApplication("dave", 500m)), new StartWorkflowOptions());

        Assert.Equal("expired: no decision in time", result);
        Assert.True(env.UtcNow - started >= TimeSpan.FromDays(7));
    }

    [Fact]
    public void StartWorkflowAsync_WrongInputType_DoesNotCompile()
    {
        const string code = """
            using ServerlessFlow;
            using ServerlessFlow.Samples;
            static class Caller
            {
                static System.Threading.Tasks.Task Start(IWorkflowClient client) =>
                    client.StartWorkflowAsync((LoanApprovalWorkflow wf) => wf.RunAsync("not an application"), new StartWorkflowOptions());
            }
            """;

        var errors = Compilation.Errors(code);

        Assert.Contains(errors, e => e.Id == "CS1503" && e.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("LoanApplication", StringComparison.Ordinal));
    }

    [Fact]
    public void StartWorkflowAsync_RightInputType_Compiles()
    {
        const string code = """
            using ServerlessFlow;
            using ServerlessFlow.Samples;
            static class Caller
            {
                static System.Threading.Tasks.Task<string> Start(IWorkflowClient client) =>
                    client.ExecuteWorkflowAsync((LoanApprovalWorkflow wf) => wf.RunAsync(new LoanApplication("a", 1m, null)), new StartWorkflowOptions());
            }
            """;

        Assert.Empty(Compilation.Errors(code));
    }
}
