using System.Collections.Concurrent;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Activities that count their calls per key (a workflow ID), so a test can tell how often each ran.</summary>
public sealed class CountingSteps
{
    private static readonly ConcurrentDictionary<string, int> Calls = new(StringComparer.Ordinal);

    public static int CallsOf(string key) => Calls.GetValueOrDefault(key);

    [Activity]
    public Task<int> CountAsync(string key) => Task.FromResult(Calls.AddOrUpdate(key, 1, (_, n) => n + 1));

    /// <summary>Fails until it has been called <paramref name="failures"/> + 1 times, then returns the number of calls.</summary>
    [Activity]
    public int SucceedAfter(string key, int failures)
    {
        var call = Calls.AddOrUpdate(key, 1, (_, n) => n + 1);
        return call > failures ? call : throw new InvalidOperationException($"call {call} fails");
    }
}

/// <summary>Runs a local activity, then waits for "Go" — so the run outlives the task that ran the activity — and returns its result.</summary>
[Workflow]
public sealed class LocalThenSignal
{
    private bool go;

    [WorkflowSignal]
    public void Go() => go = true;

    [WorkflowRun]
    public async Task<int> RunAsync()
    {
        var options = new LocalActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) };
        var count = await Workflow.ExecuteLocalActivityAsync((CountingSteps s) => s.CountAsync(Workflow.Info.WorkflowId), options);
        await Workflow.WaitConditionAsync(() => go);
        return count;
    }
}

/// <summary>A local activity retried per its policy: <c>failures</c> failed calls, then success or, past the attempts allowed, the failure.</summary>
[Workflow]
public sealed class LocalRetries
{
    [WorkflowRun]
    public async Task<string> RunAsync(LocalRetryCase given)
    {
        var options = new LocalActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            RetryPolicy = new RetryPolicy { InitialInterval = given.Backoff, BackoffCoefficient = 1, MaximumAttempts = given.MaximumAttempts },
            LocalRetryThreshold = given.LocalRetryThreshold,
        };
        try
        {
            var calls = await Workflow.ExecuteLocalActivityAsync((CountingSteps s) => s.SucceedAfter(Workflow.Info.WorkflowId, given.Failures), options);
            return $"completed after {calls} calls";
        }
        catch (ActivityFailureException e)
        {
            return $"failed after {e.Attempts} attempts: {e.InnerException!.Message}";
        }
    }
}

/// <summary>The input of <see cref="LocalRetries"/>.</summary>
public sealed record LocalRetryCase(int Failures, int MaximumAttempts, TimeSpan Backoff, TimeSpan? LocalRetryThreshold = null);

/// <summary>Reports the attempt's window as the activity sees it in <see cref="ActivityInfo"/>.</summary>
public sealed class AttemptWindowSteps
{
    [Activity]
    public string Window()
    {
        var info = ActivityExecutionContext.Current.Info;
        return info.StartedAt == default ? "no start" : $"{(info.Deadline - info.StartedAt).TotalSeconds} s";
    }
}

/// <summary>A local activity with the given start-to-close timeout: its window, or the refusal of the options.</summary>
[Workflow]
public sealed class LocalWindow
{
    [WorkflowRun]
    public async Task<string> RunAsync(TimeSpan startToClose)
    {
        try
        {
            return await Workflow.ExecuteLocalActivityAsync((AttemptWindowSteps s) => s.Window(), new LocalActivityOptions { StartToCloseTimeout = startToClose });
        }
        catch (ArgumentException e)
        {
            return "refused: " + e.Message;
        }
    }
}
