namespace ServerlessFlow.Bench.Engines.Ours;

/// <summary>Runs <c>steps</c> activities one after another, each noting when it ran.</summary>
[Workflow]
public sealed class BenchTimedSteps
{
    /// <summary>Runs the steps and returns how many ran.</summary>
    [WorkflowRun]
    public async Task<int> RunAsync(int steps)
    {
        var options = new ActivityOptions { StartToCloseTimeout = OursDriver.ActivityTimeout };
        for (var i = 0; i < steps; i++)
        {
            await Workflow.ExecuteActivityAsync((BenchActivities a) => a.MarkStepAsync(i), options);
        }

        return steps;
    }
}
