using Microsoft.Extensions.Configuration;

namespace ServerlessFlow.Samples;

/// <summary>The activity of <see cref="HelloSequence"/>.</summary>
/// <remarks>
/// When the configuration key <c>Samples:ExecutionLog</c> names a file, every execution appends a line
/// "workflowId index attempt" to it: the end-to-end tests count executions across process kills with it.
/// </remarks>
public sealed class HelloActivities(IConfiguration? configuration = null)
{
    private static readonly Lock LogGate = new();

    /// <summary>Waits <paramref name="delayMs"/> and returns <paramref name="index"/>.</summary>
    [Activity]
    public async Task<int> StepAsync(int index, int delayMs)
    {
        await Task.Delay(delayMs, ActivityExecutionContext.Current.CancellationToken);
        if (configuration?["Samples:ExecutionLog"] is { Length: > 0 } path)
        {
            var info = ActivityExecutionContext.Current.Info;
            lock (LogGate)
            {
                File.AppendAllText(path, $"{info.WorkflowId} {index} {info.Attempt}{Environment.NewLine}");
            }
        }

        return index;
    }
}
