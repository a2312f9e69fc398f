using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Temporal's rule for exceptions from workflow code (issue 11, "Semantics"): one that is not a failure exception is a bug, so it
/// fails the workflow task — retried with back-off, shown as lastTaskFailure, fixed by deploying corrected code — and the workflow
/// stays running; a failure exception, or a type the workflow lists in FailureExceptionTypes, fails the workflow.
/// </summary>
public abstract class WorkflowCodeExceptionTests : EngineSuite
{
    [Fact]
    public async Task RunMethod_NullReference_FailsTheTaskAndCorrectedCodeCompletesTheWorkflow()
    {
        var backend = NewBackend();
        string id;
        await using (var buggy = new EngineHarness(b => b.AddWorkflow<BuggyGreeter>().AddActivities<EchoActivities>(), backend))
        {
            id = (await buggy.Client.StartWorkflowAsync(Greeter.TypeName, "ann", new StartWorkflowOptions())).Id;
            var failing = await Eventually.WaitAsync(() => buggy.Client.DescribeWorkflowAsync(id), d => d.LastTaskFailure is not null);

            Assert.Equal(WorkflowStatus.Running, failing.Status);
            Assert.Contains("System.NullReferenceException", failing.LastTaskFailure, StringComparison.Ordinal);
            Assert.Contains("the workflow stays running", failing.LastTaskFailure, StringComparison.Ordinal);
            var history = await buggy.Client.GetHistoryAsync(id);
            Assert.DoesNotContain(history, e => e is WorkflowFailed);
        }

        await using var corrected = new EngineHarness(b => b.AddWorkflow<FixedGreeter>().AddActivities<EchoActivities>(), backend);
        var closed = await corrected.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("hello ann", closed.GetResult<string>());
        Assert.Null(closed.LastTaskFailure);
    }

    [Fact]
    public async Task SignalHandler_InvalidCast_FailsTheTaskNotTheWorkflow()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<CastingSignalWorkflow>(), NewBackend());
        var id = (await engine.Client.StartWorkflowAsync(nameof(CastingSignalWorkflow), null, new StartWorkflowOptions())).Id;

        await engine.Client.SignalWorkflowAsync(id, "poke", "not a number");
        var failing = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(id), d => d.LastTaskFailure is not null);

        Assert.Equal(WorkflowStatus.Running, failing.Status);
        Assert.Contains("System.InvalidCastException", failing.LastTaskFailure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunMethod_ListedFailureExceptionType_FailsTheWorkflow()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<DeclaredFailureWorkflow>(), NewBackend());

        var closed = await engine.RunAsync(nameof(DeclaredFailureWorkflow), null);

        Assert.Equal(WorkflowStatus.Failed, closed.Status);
        Assert.Equal(typeof(KeyNotFoundException).FullName, closed.Failure!.Type);
        Assert.Null(closed.LastTaskFailure);
    }

    [Fact]
    public async Task RunMethod_ApplicationFailure_FailsTheWorkflow()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<ApplicationFailureWorkflow>(), NewBackend());

        var closed = await engine.RunAsync(nameof(ApplicationFailureWorkflow), null);

        Assert.Equal(WorkflowStatus.Failed, closed.Status);
        Assert.Equal("OutOfStock", closed.Failure!.Type);
    }
}

public sealed class WorkflowCodeExceptionTestsInMemory : WorkflowCodeExceptionTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class WorkflowCodeExceptionTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : WorkflowCodeExceptionTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

/// <summary>The type name both versions of the greeter register under: a deploy replaces the code, not the type.</summary>
internal static class Greeter
{
    public const string TypeName = "Greeter";
}

/// <summary>Echoes its argument.</summary>
public sealed class EchoActivities
{
    [Activity]
    public Task<string> GreetAsync(string name) => Task.FromResult("hello " + name);
}

/// <summary>Greets after an activity, then dereferences a null: a bug.</summary>
[Workflow(Greeter.TypeName)]
public sealed class BuggyGreeter
{
    private readonly Dictionary<string, string> suffixes = [];

    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        var greeting = await Workflow.ExecuteActivityAsync((EchoActivities a) => a.GreetAsync(name), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
        return greeting + suffixes.GetValueOrDefault(name)!.Trim();
    }
}

/// <summary>The same workflow with the bug fixed: it replays the buggy version's history.</summary>
[Workflow(Greeter.TypeName)]
public sealed class FixedGreeter
{
    [WorkflowRun]
    public Task<string> RunAsync(string name) =>
        Workflow.ExecuteActivityAsync((EchoActivities a) => a.GreetAsync(name), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
}

/// <summary>A signal handler that casts its argument wrongly; the run waits forever.</summary>
[Workflow]
public sealed class CastingSignalWorkflow
{
    private int pokes;

    [WorkflowSignal("poke")]
    public void Poke(object value) => pokes += (int)value;

    [WorkflowRun]
    public async Task<int> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => pokes > 100);
        return pokes;
    }
}

/// <summary>Lists KeyNotFoundException as a failure exception, then throws it.</summary>
[Workflow(FailureExceptionTypes = [typeof(KeyNotFoundException)])]
public sealed class DeclaredFailureWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() => throw new KeyNotFoundException("no such customer");
}

/// <summary>Fails on purpose with an application failure.</summary>
[Workflow]
public sealed class ApplicationFailureWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() => throw new ApplicationFailureException("nothing left", "OutOfStock", nonRetryable: true);
}
