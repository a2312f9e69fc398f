using System.Collections.Concurrent;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Three activities in sequence; the first waits at its workflow's gate (<see cref="GatedActivities.Open"/>), the others return at once.</summary>
[Workflow]
public sealed class GatedSteps
{
    [WorkflowRun]
    public async Task<string> RunAsync(string input)
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1) };
        var result = await Workflow.ExecuteActivityAsync((GatedActivities a) => a.PassGateAsync(Workflow.Info.WorkflowId), options);
        for (var i = 0; i < 2; i++)
        {
            result += await Workflow.ExecuteActivityAsync((GatedActivities a) => a.Step(i), options);
        }

        return input + result;
    }
}

/// <summary>The activities of <see cref="GatedSteps"/>: a gate per workflow ID, so tests running at once do not share one.</summary>
public sealed class GatedActivities
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Reached = new(StringComparer.Ordinal);

    /// <summary>Completes when the first activity of <paramref name="workflowId"/> has reached its gate.</summary>
    public static Task ReachedAsync(string workflowId) => Gate(Reached, workflowId).Task;

    /// <summary>Lets the first activity of <paramref name="workflowId"/> through.</summary>
    public static void Open(string workflowId) => Gate(Gates, workflowId).TrySetResult();

    [Activity]
    public async Task<string> PassGateAsync(string workflowId)
    {
        Gate(Reached, workflowId).TrySetResult();
        await Gate(Gates, workflowId).Task;
        return "gate";
    }

    [Activity]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Activities are instance methods the worker resolves.")]
    public string Step(int i) => $" {i}";

    private static TaskCompletionSource Gate(ConcurrentDictionary<string, TaskCompletionSource> gates, string workflowId) =>
        gates.GetOrAdd(workflowId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
