using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A registration handed its whole definition (as generated code does) is what the worker runs: the registry reads nothing
/// from the class, creates the workflow and the activity class through the given delegates and calls the invokers.
/// </summary>
public sealed class GeneratedInvokerTests
{
    [Fact]
    public async Task AddWorkflow_WithInvokers_WorkerCreatesAndRunsThroughThem()
    {
        var created = 0;
        var invokers = new WorkflowInvokers(
            nameof(EchoesInput),
            () =>
            {
                Interlocked.Increment(ref created);
                return new EchoesInput();
            },
            MemberInvoker.FromTask<string>(static (instance, arguments, _) => ((EchoesInput)instance).RunAsync(arguments.Get<string>(0) + " via invoker"), typeof(string)))
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
    public async Task AddWorkflow_WithInvokers_TakesTheDefinitionAsGivenWithoutReadingTheClass()
    {
        // The class has no [Workflow] attribute: a registry that read it would refuse it at start.
        var invokers = new WorkflowInvokers(
            "renamed",
            static () => new UnmarkedWorkflow(),
            MemberInvoker.FromTask<int>(static (instance, arguments, _) => ((UnmarkedWorkflow)instance).RunAsync(arguments.Get<int>(0)), typeof(int)))
        {
            FailureExceptionTypes = [typeof(TimeoutException)],
        };
        await using var engine = new EngineHarness(b => b.AddWorkflow<UnmarkedWorkflow>(invokers), TestBackend.InMemory());

        var doubled = await engine.RunAsync("renamed", 21);
        var failed = await engine.RunAsync("renamed", -1);

        Assert.Equal(42, doubled.GetResult<int>());
        Assert.Equal(WorkflowStatus.Failed, failed.Status); // a TimeoutException fails the workflow, as FailureExceptionTypes says
    }

    [Fact]
    public async Task StartWorkflow_InputThatDoesNotFitTheGeneratedParameterType_IsRefusedBeforeAnythingIsRecorded()
    {
        var invokers = new WorkflowInvokers(
            "renamed",
            static () => new UnmarkedWorkflow(),
            MemberInvoker.FromTask<int>(static (instance, arguments, _) => ((UnmarkedWorkflow)instance).RunAsync(arguments.Get<int>(0)), typeof(int)));
        await using var engine = new EngineHarness(b => b.AddWorkflow<UnmarkedWorkflow>(invokers), TestBackend.InMemory());

        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.StartWorkflowAsync("renamed", "not a number", new StartWorkflowOptions()));

        Assert.Contains("does not fit its parameter (Int32)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddActivities_WithAFactory_CreatesTheClassThroughItForEachCall()
    {
        var created = 0;
        var invokers = new Dictionary<string, MemberInvoker>
        {
            ["Echo"] = MemberInvoker.FromResult(static (instance, arguments, _) => ((FlakyActivities)instance).Echo(arguments.Get<string>(0)), typeof(string)),
        };
        await using var engine = new EngineHarness(
            b => b.AddWorkflow<CallsEcho>().AddActivities(invokers, _ =>
            {
                Interlocked.Increment(ref created);
                return new FlakyActivities();
            }),
            TestBackend.InMemory());

        var closed = await engine.RunAsync(nameof(CallsEcho), "hello");

        Assert.Equal("hello", closed.GetResult<string>());
        Assert.Equal(1, created);
    }

    [Fact]
    public async Task AddActivities_WithAFactoryAndTheAppsOwnRegistration_TheAppsRegistrationWins()
    {
        var created = 0;
        var mine = new DisposableEcho();
        await using var engine = new EngineHarness(
            b =>
            {
                b.Services.AddSingleton(mine);
                b.AddWorkflow<CallsEcho>().AddActivities(DisposableEcho.Invokers, _ =>
                {
                    Interlocked.Increment(ref created);
                    return new DisposableEcho();
                });
            },
            TestBackend.InMemory());

        await engine.RunAsync(nameof(CallsEcho), "hello");

        Assert.Equal(0, created);
        Assert.Equal(1, mine.Calls);
        Assert.Equal(0, mine.Disposals); // a singleton lives on
    }

    [Fact]
    public async Task AddActivities_WithAFactory_TheCallsScopeDisposesWhatItMade()
    {
        var made = new List<DisposableEcho>();
        await using var engine = new EngineHarness(
            b => b.AddWorkflow<CallsEcho>().AddActivities(DisposableEcho.Invokers, _ =>
            {
                var instance = new DisposableEcho();
                lock (made)
                {
                    made.Add(instance);
                }

                return instance;
            }),
            TestBackend.InMemory());

        await engine.RunAsync(nameof(CallsEcho), "hello");

        var only = Assert.Single(made);
        Assert.Equal(1, only.Calls);
        Assert.Equal(1, only.Disposals);
    }

    [Fact]
    public async Task AddWorkflow_GeneratedAndByHand_TheGeneratedDefinitionWinsInEitherOrder()
    {
        var invokers = new WorkflowInvokers(
            nameof(EchoesInput),
            static () => new EchoesInput(),
            MemberInvoker.FromTask<string>(static (instance, arguments, _) => ((EchoesInput)instance).RunAsync(arguments.Get<string>(0) + " generated"), typeof(string)));
        await using var generatedFirst = new EngineHarness(b => b.AddWorkflow<EchoesInput>(invokers).AddWorkflow<EchoesInput>(), TestBackend.InMemory());
        await using var byHandFirst = new EngineHarness(b => b.AddWorkflow<EchoesInput>().AddWorkflow<EchoesInput>(invokers), TestBackend.InMemory());

        Assert.Equal("a generated", (await generatedFirst.RunAsync(nameof(EchoesInput), "a")).GetResult<string>());
        Assert.Equal("b generated", (await byHandFirst.RunAsync(nameof(EchoesInput), "b")).GetResult<string>());
    }
}

/// <summary>Returns its input; has a signal.</summary>
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

/// <summary>A workflow class without attributes: registrable only with its definition given.</summary>
public sealed class UnmarkedWorkflow
{
    /// <summary>Doubles a positive number; throws a TimeoutException (a failure exception of its given definition) for a negative one.</summary>
    public Task<int> RunAsync(int value) => value < 0 ? throw new TimeoutException("negative") : Task.FromResult(value * 2);
}

/// <summary>Calls the Echo activity with its input.</summary>
[Workflow]
public sealed class CallsEcho
{
    [WorkflowRun]
    public Task<string?> RunAsync(string input) => Workflow.ExecuteActivityAsync<string>("Echo", [input], new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
}

/// <summary>An activity class that counts its calls and its disposals.</summary>
public sealed class DisposableEcho : IDisposable
{
    public static readonly Dictionary<string, MemberInvoker> Invokers = new()
    {
        ["Echo"] = MemberInvoker.FromResult(static (instance, arguments, _) => ((DisposableEcho)instance).Echo(arguments.Get<string>(0)), typeof(string)),
    };

    private int calls;
    private int disposals;

    public int Calls => Volatile.Read(ref calls);

    public int Disposals => Volatile.Read(ref disposals);

    public string Echo(string text)
    {
        Interlocked.Increment(ref calls);
        return text;
    }

    public void Dispose() => Interlocked.Increment(ref disposals);
}
