using ServerlessFlow.Samples;

namespace ServerlessFlow.Testing.Tests;

/// <summary>Runs alone: it sets a process-wide AppContext switch that other tests' workflows must not see.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NoReflectionInvokeGroup
{
    public const string Name = "No reflection invoke";
}

/// <summary>
/// With the AppContext switch "ServerlessFlow.DisallowReflectionInvoke" set, a member the worker would call through reflection
/// throws instead: so these workflows — registered by the generated registration, exercising run methods, activities (a
/// ValueTask result, a default parameter, the attempt's token), children, signals, queries, updates and a validator — prove
/// that the generated invokers make no reflection call; and a class registered by hand shows the switch bites.
/// </summary>
[Collection(NoReflectionInvokeGroup.Name)]
public sealed class NoReflectionInvokeTests : IDisposable
{
    private const string Switch = "ServerlessFlow.DisallowReflectionInvoke";

    public NoReflectionInvokeTests() => AppContext.SetSwitch(Switch, true);

    public void Dispose() => AppContext.SetSwitch(Switch, false);

    [Fact]
    public async Task GeneratedRegistration_SwitchForbidsReflection_EveryKindOfMemberStillRuns()
    {
        await using var samples = await WorkflowTestEnvironment.StartAsync(flow => flow.AddSamples());
        await using var own = await WorkflowTestEnvironment.StartAsync(flow => flow.AddGeneratedDefinitions());

        var sequence = await samples.Client.StartHelloSequenceAsync(new HelloInput(3, 0), new StartWorkflowOptions());
        var loan = await samples.Client.StartLoanApprovalWorkflowAsync(new LoanApplication("erin", 1000m), new StartWorkflowOptions());
        await samples.DelayAsync(TimeSpan.Zero);
        var status = await loan.QueryStatusAsync();
        var amount = await loan.UpdateSetAmountAsync(1500m);
        var rejected = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => loan.UpdateSetAmountAsync(-1m));
        await loan.SignalDecideAsync(new LoanDecision(true, "frank"));
        var countdown = await own.Client.StartCountdownWorkflowAsync(2, new StartWorkflowOptions());
        var shout = await own.Client.StartShoutWorkflowAsync("hey", new StartWorkflowOptions());

        Assert.Equal([0, 1, 2], await sequence.GetResultAsync());
        Assert.Equal("awaiting-decision", status);
        Assert.Equal(1500m, amount);
        Assert.Contains("The amount must be positive", rejected.Failure?.Message, StringComparison.Ordinal); // the validator itself refused, not the switch
        Assert.Equal("approved by frank", await loan.GetResultAsync());
        Assert.Equal("LIFTOFF", await countdown.GetResultAsync());
        Assert.Equal(["2...", "1..."], await countdown.QueryLinesAsync());
        Assert.Equal("HEY HEY", await shout.GetResultAsync());
    }

    [Fact]
    public async Task HandWrittenRegistration_SwitchForbidsReflection_TaskFailsNamingTheSwitch()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(flow => flow.AddWorkflow<LiftoffWorkflow>());

        var handle = await env.Client.StartWorkflowAsync((LiftoffWorkflow wf) => wf.RunAsync("go"), new StartWorkflowOptions());
        var failure = await RuntimeGuardTests.LastTaskFailureAsync(handle);

        Assert.Contains($"LiftoffWorkflow.RunAsync would be called through reflection, which the AppContext switch '{Switch}' disallows", failure, StringComparison.Ordinal);
        Assert.Equal(WorkflowStatus.Running, (await handle.DescribeAsync()).Status);
    }
}
