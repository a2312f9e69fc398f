namespace ServerlessFlow.Samples;

/// <summary>Input of <see cref="HelloSequence"/>.</summary>
/// <param name="Count">How many activities to run, one after another.</param>
/// <param name="DelayMs">How long each activity waits, in milliseconds.</param>
/// <param name="TimeoutMs">Each activity's start-to-close timeout in milliseconds; one minute when null.</param>
/// <param name="PauseMs">A durable timer of this many milliseconds between two activities; none when 0.</param>
public sealed record HelloInput(int Count, int DelayMs, int? TimeoutMs = null, int PauseMs = 0);

/// <summary>
/// Runs <c>Count</c> activities in sequence, each waiting <c>DelayMs</c> and returning its index, with a <c>PauseMs</c> timer
/// between two of them; returns the indexes. Tests and benchmarks use it.
/// </summary>
// A missing input fails the workflow (no deploy can fix it); any other exception from this code is a bug that fails the task.
[Workflow(FailureExceptionTypes = [typeof(ArgumentNullException)])]
public sealed class HelloSequence
{

    /// <summary>Runs the sequence.</summary>
    [WorkflowRun]
    public async Task<List<int>> RunAsync(HelloInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMilliseconds(input.TimeoutMs ?? 60_000) };
        var results = new List<int>();
        for (var i = 0; i < input.Count; i++)
        {
            if (i > 0 && input.PauseMs > 0)
            {
                await Workflow.DelayAsync(TimeSpan.FromMilliseconds(input.PauseMs));
            }

            results.Add(await Workflow.ExecuteActivityAsync((HelloActivities a) => a.StepAsync(i, input.DelayMs), options));
        }

        return results;
    }
}
