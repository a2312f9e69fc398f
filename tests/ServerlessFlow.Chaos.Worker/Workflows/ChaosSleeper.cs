namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>A child that waits for the "finish" signal and returns "finished"; asked to cancel, it runs a cleanup activity and ends canceled.</summary>
[Workflow]
public sealed class ChaosSleeper
{
    private bool finish;

    /// <summary>Lets the run finish.</summary>
    [WorkflowSignal("finish")]
    public void Finish() => finish = true;

    /// <summary>Waits.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        try
        {
            await Workflow.WaitConditionAsync(() => finish);
            return "finished";
        }
        catch (WorkflowCanceledException)
        {
            await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync("cleanup", 0), ChaosActivities.Options);
            throw;
        }
    }
}
