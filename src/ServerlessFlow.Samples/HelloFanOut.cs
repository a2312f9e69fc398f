namespace ServerlessFlow.Samples;

/// <summary>Runs <c>Count</c> activities at once, each waiting <c>DelayMs</c> and returning its index; returns the indexes in order. Tests use it.</summary>
[Workflow]
public sealed class HelloFanOut
{
    /// <summary>Schedules every activity in one workflow task and waits for all of them.</summary>
    [WorkflowRun]
    public async Task<int[]> RunAsync(HelloInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMilliseconds(input.TimeoutMs ?? 60_000) };
        return await Task.WhenAll(Enumerable.Range(0, input.Count).Select(i => Workflow.ExecuteActivityAsync((HelloActivities a) => a.StepAsync(i, input.DelayMs), options)));
    }
}
