namespace ServerlessFlow.Engine.Tests.Schedules;

/// <summary>Stays open until signalled "finish" (or cancelled): lets a test hold a scheduled run open.</summary>
[Workflow]
public sealed class GateWorkflow
{
    private bool finished;

    [WorkflowRun]
    public async Task<string> RunAsync(string? input)
    {
        await Workflow.WaitConditionAsync(() => finished);
        return input ?? "done";
    }

    [WorkflowSignal("finish")]
    public void Finish() => finished = true;
}
