namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>
/// Runs a <see cref="ChaosSequence"/> child (default ID) to completion, then starts one <see cref="ChaosSleeper"/>
/// per parent close policy with the ID "{parent}-{policy}", waits for the "release" signal (the driver sends it once
/// the sleepers exist: a child whose parent closed before it started is never started, as in Temporal), runs an
/// activity, and completes while the sleepers are open. Returns the first child's results.
/// </summary>
[Workflow]
public sealed class ChaosParent
{
    private bool released;

    /// <summary>Lets the parent close: its sleepers have started.</summary>
    [WorkflowSignal("release")]
    public void Release() => released = true;

    /// <summary>The ID of the sleeper child started with <paramref name="policy"/>.</summary>
    public static string SleeperId(string parentId, ParentClosePolicy policy) => $"{parentId}-{policy}";

    /// <summary>Runs the children.</summary>
    [WorkflowRun]
    public async Task<List<string>> RunAsync(SequenceInput child)
    {
        var results = await Workflow.ExecuteChildWorkflowAsync((ChaosSequence s) => s.RunAsync(child));
        foreach (var policy in Enum.GetValues<ParentClosePolicy>())
        {
            var options = new ChildWorkflowOptions { Id = SleeperId(Workflow.Info.WorkflowId, policy), ParentClosePolicy = policy };
            _ = Workflow.ExecuteChildWorkflowAsync((ChaosSleeper s) => s.RunAsync(), options);
        }

        await Workflow.WaitConditionAsync(() => released);
        await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync("parent-done", 0), ChaosActivities.Options);
        return results;
    }
}
