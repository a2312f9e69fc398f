namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>Durable timers, each followed by an activity, then a condition that times out; returns "timer-{i}" for each and "timed-out".</summary>
[Workflow]
public sealed class ChaosTimers
{
    /// <summary>How long the final condition waits before it times out.</summary>
    private static readonly TimeSpan ConditionTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs the timers.</summary>
    [WorkflowRun]
    public async Task<List<string>> RunAsync(int[] delaysMs)
    {
        ArgumentNullException.ThrowIfNull(delaysMs);
        var results = new List<string>();
        for (var i = 0; i < delaysMs.Length; i++)
        {
            await Workflow.DelayAsync(TimeSpan.FromMilliseconds(delaysMs[i]));
            var value = $"timer-{i}";
            results.Add(await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync(value, 0), ChaosActivities.Options));
        }

        results.Add(await Workflow.WaitConditionAsync(() => false, ConditionTimeout) ? "condition-met" : "timed-out");
        return results;
    }
}
