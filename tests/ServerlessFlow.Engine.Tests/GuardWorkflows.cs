#pragma warning disable SFLOW0003, SFLOW0004, SFLOW0005, SFLOW0014 // deliberately breaking the rules the runtime guards catch
namespace ServerlessFlow.Engine.Tests;

/// <summary>Awaits a Task.Delay: a thread-pool timer the workflow scheduler never sees complete.</summary>
[Workflow]
public sealed class AwaitsTaskDelay
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Task.Delay(200);
        return "never";
    }
}

/// <summary>Awaits work started with Task.Run.</summary>
[Workflow]
public sealed class AwaitsTaskRun
{
    [WorkflowRun]
    public async Task<int> RunAsync() => await Task.Run(() => 42);
}

/// <summary>Continues off the scheduler with ConfigureAwait(false), then calls a workflow API.</summary>
[Workflow]
public sealed class ContinuesOffScheduler
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(10));
        return "never";
    }
}

/// <summary>Awaits file I/O in workflow code.</summary>
[Workflow]
public sealed class AwaitsFileIo
{
    [WorkflowRun]
    public async Task<int> RunAsync(string path) => (await File.ReadAllBytesAsync(path)).Length;
}

/// <summary>Blocks the workflow thread for longer than the limit.</summary>
[Workflow]
public sealed class BlocksThread
{
    [WorkflowRun]
    public Task<string> RunAsync()
    {
        Thread.Sleep(TimeSpan.FromSeconds(4));
        return Task.FromResult("late");
    }
}
