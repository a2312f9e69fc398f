namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>
/// Runs a <see cref="ChaosSequence"/> child (default ID) to completion, then starts one <see cref="ChaosSleeper"/>
/// per parent close policy with the ID "{parent}-{policy}", runs an activity, and completes while those are open.
/// Returns the first child's results.
/// </summary>
[Workflow]
public sealed class ChaosParent
{
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

        await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync("parent-done", 0), ChaosActivities.Options);
        return results;
    }
}
