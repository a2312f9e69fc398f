using System.Collections.Concurrent;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// Carries a payload through every kind of stored place for the payload codec tests: its input, a "note" signal, a "tag"
/// update (argument and result), an activity's input, heartbeat details and result, and its own result.
/// </summary>
[Workflow]
public sealed class CodecProbeWorkflow
{
    private string? note;
    private string? tag;

    [WorkflowSignal("note")]
    public void Note(string text) => note = text;

    [WorkflowUpdate("tag")]
    public Task<string> TagAsync(string text)
    {
        tag = text;
        return Task.FromResult("tagged " + text);
    }

    [WorkflowRun]
    public async Task<string> RunAsync(string input)
    {
        await Workflow.WaitConditionAsync(() => note is not null && tag is not null);
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1), HeartbeatTimeout = TimeSpan.FromSeconds(10) };
        var held = await Workflow.ExecuteActivityAsync((CodecProbeActivities a) => a.HoldAsync("activity " + input), options);
        return $"done {input} | {note} | {tag} | {held}";
    }
}

/// <summary>The activity of <see cref="CodecProbeWorkflow"/>: heartbeats its input as details until the test releases it.</summary>
public sealed class CodecProbeActivities
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new(StringComparer.Ordinal);

    /// <summary>Lets the activity of workflow <paramref name="workflowId"/> return.</summary>
    public static void Release(string workflowId) => Gate(workflowId).TrySetResult();

    [Activity]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Activities are instance methods the worker resolves.")]
    public async Task<string> HoldAsync(string input)
    {
        var context = ActivityExecutionContext.Current;
        var gate = Gate(context.Info.WorkflowId).Task;
        while (!gate.IsCompleted)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.Heartbeat("heartbeat " + input);
            await Task.WhenAny(gate, Task.Delay(TimeSpan.FromMilliseconds(200), context.CancellationToken));
        }

        return "held " + input;
    }

    private static TaskCompletionSource Gate(string workflowId) =>
        Gates.GetOrAdd(workflowId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>Waits for one "name" signal and answers with its input and the name.</summary>
[Workflow]
public sealed class CodecGreetingWorkflow
{
    private string? name;

    [WorkflowSignal("name")]
    public void Name(string text) => name = text;

    [WorkflowRun]
    public async Task<string> RunAsync(string greeting)
    {
        await Workflow.WaitConditionAsync(() => name is not null);
        return $"{greeting} {name}";
    }
}
