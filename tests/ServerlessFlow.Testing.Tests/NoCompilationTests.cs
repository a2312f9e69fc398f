using ServerlessFlow.Samples;

namespace ServerlessFlow.Testing.Tests;

/// <summary>Runs alone: it sets a process-wide AppContext switch that other tests' workflows must not see.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NoCompilationGroup
{
    public const string Name = "No expression compilation";
}

/// <summary>
/// With the AppContext switch "ServerlessFlow.DisallowExpressionCompilation" set, an argument that would have to be compiled
/// throws: so these workflows — generated registration, generated stubs, and typed lambdas over locals, loop variables and
/// member chains — prove that running them compiles no expression.
/// </summary>
[Collection(NoCompilationGroup.Name)]
public sealed class NoCompilationTests : IDisposable
{
    private const string Switch = "ServerlessFlow.DisallowExpressionCompilation";

    public NoCompilationTests() => AppContext.SetSwitch(Switch, true);

    public void Dispose() => AppContext.SetSwitch(Switch, false);

    [Fact]
    public async Task GeneratedRegistration_SwitchForbidsCompiling_SamplesAndStubsStillRun()
    {
        await using var samples = await WorkflowTestEnvironment.StartAsync(flow => flow.AddSamples());
        await using var own = await WorkflowTestEnvironment.StartAsync(flow => flow.AddGeneratedDefinitions());

        var sequence = await samples.Client.StartHelloSequenceAsync(new HelloInput(3, 0), new StartWorkflowOptions());
        var countdown = await own.Client.StartCountdownWorkflowAsync(2, new StartWorkflowOptions());

        Assert.Equal([0, 1, 2], await sequence.GetResultAsync());
        Assert.Equal("LIFTOFF", await countdown.GetResultAsync());
    }

    [Fact]
    public async Task LambdaArgument_NeedsCompiling_RefusedNamingTheSwitch()
    {
        var delayMs = 5;
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(1) };

        var computed = await Assert.ThrowsAsync<InvalidOperationException>(() => Workflow.ExecuteActivityAsync((HelloActivities a) => a.StepAsync(1, delayMs * 2), options));
        var direct = await Assert.ThrowsAsync<InvalidOperationException>(() => Workflow.ExecuteActivityAsync((HelloActivities a) => a.StepAsync(1, delayMs), options));

        Assert.Contains(Switch, computed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Switch, direct.Message, StringComparison.Ordinal); // read without compiling; it fails only for running outside a workflow
    }
}
