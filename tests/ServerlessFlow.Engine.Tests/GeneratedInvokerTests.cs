using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Invokers handed to the registration (as generated code does) are what the worker calls, and must match the class.</summary>
public sealed class GeneratedInvokerTests
{
    [Fact]
    public async Task AddWorkflow_WithInvokers_WorkerCreatesAndRunsThroughThem()
    {
        var created = 0;
        var invokers = new WorkflowInvokers(
            () =>
            {
                Interlocked.Increment(ref created);
                return new EchoesInput();
            },
            MemberInvoker.FromTask<string>(static (instance, arguments, _) => ((EchoesInput)instance).RunAsync(arguments.Get<string>(0) + " via invoker")))
        {
            Signals = new Dictionary<string, MemberInvoker> { ["Poke"] = MemberInvoker.FromAction(static (instance, _, _) => ((EchoesInput)instance).Poke()) },
        };
        await using var engine = new EngineHarness(b => b.AddWorkflow<EchoesInput>(invokers), TestBackend.InMemory());

        var closed = await engine.RunAsync(nameof(EchoesInput), "in");

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("in via invoker", closed.GetResult<string>());
        Assert.True(created >= 1);
    }

    [Fact]
    public void AddWorkflow_InvokersThatDoNotMatchTheClass_ReportsEachDifferenceAtStart()
    {
        var invokers = new WorkflowInvokers(() => new EchoesInput(), MemberInvoker.FromTask<string>(static (instance, arguments, _) => ((EchoesInput)instance).RunAsync(arguments.Get<string>(0))))
        {
            Queries = new Dictionary<string, MemberInvoker> { ["ghost"] = MemberInvoker.FromResult(static (_, _, _) => 1) },
        };

        var error = Assert.Throws<WorkflowDefinitionException>(() => new EngineHarness(b => b.AddWorkflow<EchoesInput>(invokers), TestBackend.InMemory()));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("the signal 'Poke' has no generated invoker", problem, StringComparison.Ordinal);
        Assert.Contains("a generated invoker names the query 'ghost', which the class does not define", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AddActivities_InvokersMissingAnActivity_ReportsItAtStart()
    {
        var invokers = new Dictionary<string, MemberInvoker> { ["Echo"] = MemberInvoker.FromResult(static (instance, arguments, _) => ((FlakyActivities)instance).Echo(arguments.Get<string>(0))) };

        var error = Assert.Throws<WorkflowDefinitionException>(() => new EngineHarness(b => b.AddActivities<FlakyActivities>(invokers), TestBackend.InMemory()));

        Assert.Contains(error.Problems, p => p.Contains("the activity 'Explode' has no generated invoker", StringComparison.Ordinal));
    }
}

/// <summary>Returns its input; has a signal, so an invoker set must name it.</summary>
[Workflow]
public sealed class EchoesInput
{
    [WorkflowSignal]
    public void Poke()
    {
    }

    [WorkflowRun]
    public Task<string> RunAsync(string input) => Task.FromResult(input);
}
