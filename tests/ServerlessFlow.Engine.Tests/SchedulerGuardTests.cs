using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Workflow code that waits on something outside the workflow scheduler, or blocks it, fails the workflow task with a
/// message naming the call (surfaced as the last task failure, retried with back-off) — never a silent hang.
/// </summary>
public sealed class SchedulerGuardTests
{
    private static void Register(ServerlessFlowBuilder b) => b
        .AddWorkflow<AwaitsTaskDelay>().AddWorkflow<AwaitsTaskRun>().AddWorkflow<ContinuesOffScheduler>()
        .AddWorkflow<AwaitsFileIo>().AddWorkflow<BlocksThread>();

    [Fact]
    public async Task WorkflowTask_AwaitsTaskDelay_FailsTaskNamingTaskDelay()
    {
        var failure = await FailureOf(nameof(AwaitsTaskDelay), null);

        Assert.Contains("Task.Delay, called from AwaitsTaskDelay.RunAsync", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowTask_AwaitsTaskRun_FailsTaskNamingTaskRun()
    {
        var failure = await FailureOf(nameof(AwaitsTaskRun), null);

        Assert.Contains("Task.Run, called from AwaitsTaskRun.RunAsync", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowTask_ContinuesAfterConfigureAwaitFalse_FailsTaskNamingWorkflowCall()
    {
        var failure = await FailureOf(nameof(ContinuesOffScheduler), null);

        Assert.Contains("ConfigureAwait(false)", failure, StringComparison.Ordinal);
        Assert.Contains("Workflow.DelayAsync, called from ContinuesOffScheduler.RunAsync", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowTask_AwaitsFileIo_FailsTaskNamingTheCall()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, new byte[256 * 1024]); // large enough that reading it does not complete synchronously
        try
        {
            var failure = await FailureOf(nameof(AwaitsFileIo), path);

            Assert.Contains("File.", failure, StringComparison.Ordinal);
            Assert.Contains("called from AwaitsFileIo.RunAsync", failure, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WorkflowTask_BlocksThreadPastLimit_FailsTaskAsBlocked()
    {
        var failure = await FailureOf(nameof(BlocksThread), null);

        Assert.Contains("ran for more than 2 s without yielding", failure, StringComparison.Ordinal);
        Assert.Contains("Thread.Sleep", failure, StringComparison.Ordinal);
    }

    /// <summary>Starts the workflow and returns its last task failure once recorded; checks that the workflow is still running and history untouched.</summary>
    private static async Task<string> FailureOf(string type, object? input)
    {
        await using var engine = new EngineHarness(Register, TestBackend.InMemory());
        var id = (await engine.Client.StartWorkflowAsync(type, input, new StartWorkflowOptions())).Id;
        var failed = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(id), d => d.LastTaskFailure is not null);

        Assert.Equal(WorkflowStatus.Running, failed.Status);
        Assert.Contains($"Workflow '{id}' ({type})", failed.LastTaskFailure, StringComparison.Ordinal);
        Assert.Contains("History is untouched and the task will be retried", failed.LastTaskFailure, StringComparison.Ordinal);
        var history = await engine.Client.GetHistoryAsync(id);
        Assert.DoesNotContain(history, e => e is WorkflowCompleted or WorkflowFailed);
        return failed.LastTaskFailure!;
    }
}
