namespace ServerlessFlow.Testing.Tests;

/// <summary>What the analyzers cannot stop at build time fails the workflow task at run time, naming the call — never a silent hang.</summary>
public sealed class RuntimeGuardTests
{
    [Fact]
    public async Task WorkflowTask_AwaitsTaskDelay_FailsNamingTaskDelayAndTheWorkflowMethod()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(flow => flow.AddWorkflow<SleepsWithTaskDelay>());
        var handle = await env.Client.StartWorkflowAsync((SleepsWithTaskDelay wf) => wf.RunAsync(), new StartWorkflowOptions());

        var failure = await LastTaskFailureAsync(handle);

        Assert.Contains("Task.Delay, called from SleepsWithTaskDelay.RunAsync", failure, StringComparison.Ordinal);
        Assert.Contains("use Workflow.DelayAsync", failure, StringComparison.Ordinal);
        Assert.Equal(WorkflowStatus.Running, (await handle.DescribeAsync()).Status);
    }

    /// <summary>Polls describe (with a real-time deadline) until a workflow task failure is recorded.</summary>
    internal static async Task<string> LastTaskFailureAsync<TWorkflow>(WorkflowHandle<TWorkflow> handle)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if ((await handle.DescribeAsync()).LastTaskFailure is { } failure)
            {
                return failure;
            }

            Assert.True(DateTime.UtcNow < deadline, "No workflow task failure was recorded within 30 s.");
            await Task.Delay(20);
        }
    }
}

/// <summary>Sleeps with Task.Delay, which workflow code must not (the SFLOW0003 analyzer flags it where it runs).</summary>
[Workflow]
public sealed class SleepsWithTaskDelay
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        // Deliberate: this workflow is what the runtime guard catches when the analyzer's finding is suppressed or unseen.
#pragma warning disable SFLOW0003
        await Task.Delay(200);
#pragma warning restore SFLOW0003
        return "never";
    }
}
