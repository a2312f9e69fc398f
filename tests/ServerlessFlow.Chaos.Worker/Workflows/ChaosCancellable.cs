namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>Runs an activity, then waits an hour; asked to cancel, it runs a cleanup activity and ends canceled.</summary>
[Workflow]
public sealed class ChaosCancellable
{
    /// <summary>Longer than any chaos run: only cancellation ends it.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromHours(1);

    /// <summary>Runs until canceled.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        try
        {
            await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync("working", 0), ChaosActivities.Options);
            await Workflow.DelayAsync(Wait);
            return "not canceled";
        }
        catch (WorkflowCanceledException)
        {
            await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync("cleanup", 0), ChaosActivities.Options);
            throw;
        }
    }
}
