namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>Input of <see cref="ChaosFanOut"/>.</summary>
/// <param name="Width">Activities scheduled at once.</param>
/// <param name="DelayMs">How long each works.</param>
public sealed record FanOutInput(int Width, int DelayMs);

/// <summary>Activities in parallel, all scheduled by one workflow task; returns "branch-{i}" for each, in order.</summary>
[Workflow]
public sealed class ChaosFanOut
{
    /// <summary>Runs the branches.</summary>
    [WorkflowRun]
    public async Task<string[]> RunAsync(FanOutInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await Task.WhenAll(Enumerable.Range(0, input.Width)
            .Select(i => Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync($"branch-{i}", input.DelayMs), ChaosActivities.Options)));
    }
}
