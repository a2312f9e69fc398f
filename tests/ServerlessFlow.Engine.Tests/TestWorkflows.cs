namespace ServerlessFlow.Engine.Tests;

public sealed class FlakyActivities
{
    private static int calls;

    [Activity]
    public string Explode(string message) => throw new InvalidOperationException(message);

    [Activity]
    public int CountCall() => Interlocked.Increment(ref calls);

    [Activity]
    public string Echo(string value) => value;
}

[Workflow]
public sealed class CatchesActivityFailure
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        try
        {
            await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Explode("boom"), new ActivityOptions
            {
                StartToCloseTimeout = TimeSpan.FromSeconds(5),
                RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(10), MaximumAttempts = 2 },
            });
            return "no failure";
        }
        catch (ActivityFailureException e)
        {
            var inner = (ApplicationFailureException)e.InnerException!;
            return $"{e.Attempts}|{inner.ErrorType}|{inner.Message}|{inner.OriginalStackTrace?.Contains(nameof(FlakyActivities.Explode), StringComparison.Ordinal)}";
        }
    }
}

/// <summary>Lists the exception it throws as a failure exception, so that it fails the workflow rather than its task.</summary>
[Workflow(FailureExceptionTypes = [typeof(ArgumentOutOfRangeException)])]
public sealed class ThrowsAfterActivity
{
    [WorkflowRun]
    public async Task RunAsync()
    {
        await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("x"), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
        throw new ArgumentOutOfRangeException("amount", "Amount must be positive.");
    }
}

[Workflow]
public sealed class MissingTimeouts
{
    [WorkflowRun]
    public Task<string> RunAsync() => Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("x"), new ActivityOptions());
}

[Workflow]
public sealed class TimerWorkflow
{
    [WorkflowRun]
    public async Task<double> RunAsync(int delayMs)
    {
        var before = Workflow.UtcNow;
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(delayMs));
        return (Workflow.UtcNow - before).TotalMilliseconds;
    }
}

[Workflow]
public sealed class DeterministicValues
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var first = Workflow.NewGuid();
        var echoed = await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo(first.ToString()), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
        return echoed == first.ToString() ? $"{first}|{Workflow.Random.Next()}" : "mismatch";
    }
}

/// <summary>Version 1 of a workflow that waits for an activity on a task queue nobody serves at first.</summary>
[Workflow("Versioned")]
public sealed class VersionedV1
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var held = await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("held"), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5), TaskQueue = "held" });
        return held + "+" + await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("done"), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
    }
}

/// <summary>An incompatible change of <see cref="VersionedV1"/>: a different first activity.</summary>
[Workflow("Versioned")]
public sealed class VersionedV2
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.CountCall(), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
        return "v2";
    }
}

public sealed class NotAWorkflow
{
    public Task RunAsync() => Task.CompletedTask;
}

#pragma warning disable SFLOW0009 // deliberately invalid: registration must refuse it at run time too
[Workflow]
public sealed class TwoRunMethods
{
    [WorkflowRun]
    public Task A() => Task.CompletedTask;

    [WorkflowRun]
    public Task B() => Task.CompletedTask;
}
#pragma warning restore SFLOW0009
