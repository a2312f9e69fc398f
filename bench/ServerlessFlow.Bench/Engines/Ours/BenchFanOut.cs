namespace ServerlessFlow.Bench.Engines.Ours;

/// <summary>Input of <see cref="BenchFanOut"/>: how many activities, each waiting <paramref name="DelayMs"/>.</summary>
public sealed record FanOutInput(int Count, int DelayMs);

/// <summary>Schedules all its activities in one workflow task and awaits them together.</summary>
[Workflow]
public sealed class BenchFanOut
{
    /// <summary>Runs the fan-out and returns how many activities completed.</summary>
    [WorkflowRun]
    public async Task<int> RunAsync(FanOutInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = new ActivityOptions { StartToCloseTimeout = OursDriver.ActivityTimeout };
        var results = await Task.WhenAll(Enumerable.Range(0, input.Count)
            .Select(i => Workflow.ExecuteActivityAsync((BenchActivities a) => a.WorkAsync(i, input.DelayMs), options)));
        return results.Length;
    }
}
