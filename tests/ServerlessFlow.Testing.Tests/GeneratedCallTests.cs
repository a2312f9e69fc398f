using ServerlessFlow.Samples;

namespace ServerlessFlow.Testing.Tests;

/// <summary>
/// Workflows driven through the stubs the source generator writes — from the samples' assembly and from this project's
/// own classes — on the in-memory engine: typed calls, no lambdas read, registration listed at compile time.
/// </summary>
public sealed class GeneratedCallTests
{
    [Fact]
    public async Task GeneratedStubs_LoanApproval_StartUpdateSignalQueryAndResult()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(flow => flow.AddSamples());
        var handle = await env.Client.StartLoanApprovalWorkflowAsync(new LoanApplication("erin", 1000m), new StartWorkflowOptions());
        await env.DelayAsync(TimeSpan.Zero);

        var status = await handle.QueryStatusAsync();
        var amount = await handle.UpdateSetAmountAsync(1500m);
        await handle.SignalDecideAsync(new LoanDecision(true, "frank"));
        var result = await handle.GetResultAsync();

        Assert.Equal("awaiting-decision", status);
        Assert.Equal(1500m, amount);
        Assert.Equal("approved by frank", result);
        Assert.Equal(handle.RunId, (await handle.DescribeAsync()).RunId);
    }

    [Fact]
    public async Task GeneratedRegistration_CountdownWithChild_RunsActivitiesTimersAndChildThroughStubs()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(flow => flow.AddGeneratedDefinitions());
        var started = env.UtcNow;

        var handle = await env.Client.StartCountdownWorkflowAsync(3, new StartWorkflowOptions());
        var result = await handle.GetResultAsync();

        Assert.Equal("LIFTOFF", result);
        Assert.Equal(["3...", "2...", "1..."], await handle.QueryLinesAsync());
        Assert.True(env.UtcNow - started >= TimeSpan.FromDays(3));
    }
}
