namespace ServerlessFlow.Engine.Tests;

/// <summary>Activities on the "held" task queue run only once a worker serving it exists.</summary>
internal static class Held
{
    public static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromSeconds(5), TaskQueue = "held" };
}

/// <summary>Before the change: the old step.</summary>
[Workflow("Patchable")]
public sealed class PatchableBefore
{
    [WorkflowRun]
    public Task<string> RunAsync() => Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("old"), Held.Options);
}

/// <summary>After the change, guarded by a patch: runs recorded before it keep the old step, new runs take the new one.</summary>
[Workflow("Patchable")]
public sealed class PatchableAfter
{
    [WorkflowRun]
    public async Task<string> RunAsync() => Workflow.Patched("count-instead")
        ? $"new {await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.CountCall(), Held.Options) > 0}"
        : await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("old"), Held.Options);
}

/// <summary>Once no run from before the change is open: the old branch is gone and the patch deprecated.</summary>
[Workflow("Patchable")]
public sealed class PatchableDeprecated
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        Workflow.DeprecatePatch("count-instead");
        return $"new {await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.CountCall(), Held.Options) > 0}";
    }
}
