namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Waits for the "finish" signal or update without recording anything first (its first task commits no event);
/// asked to cancel, runs a cleanup activity and ends canceled. The chaos suite's sleeper child has this shape.
/// </summary>
[Workflow]
public sealed class AwaitsFinish
{
    private string? finishedBy;

    [WorkflowSignal("finish")]
    public void Finish(string by) => finishedBy = by;

    [WorkflowUpdate("finish-now")]
    public Task<string> FinishNowAsync(string by)
    {
        finishedBy = by;
        return Task.FromResult("accepted from " + by);
    }

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        try
        {
            await Workflow.WaitConditionAsync(() => finishedBy is not null);
            return "finished by " + finishedBy;
        }
        catch (WorkflowCanceledException)
        {
            await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("cleanup"), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
            throw;
        }
    }
}
