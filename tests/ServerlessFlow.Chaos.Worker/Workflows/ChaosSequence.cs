namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>Input of <see cref="ChaosSequence"/>.</summary>
/// <param name="Steps">Activities, one after another.</param>
/// <param name="FlakyStep">The step that fails its first attempts (-1 for none).</param>
/// <param name="FlakyFailures">How many attempts of the flaky step fail.</param>
/// <param name="DelayMs">How long each step works.</param>
public sealed record SequenceInput(int Steps, int FlakyStep, int FlakyFailures, int DelayMs);

/// <summary>Activities in sequence, one of them retried; returns "step-{i}" for each.</summary>
[Workflow]
public sealed class ChaosSequence
{
    /// <summary>Runs the steps.</summary>
    [WorkflowRun]
    public async Task<List<string>> RunAsync(SequenceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var results = new List<string>();
        for (var i = 0; i < input.Steps; i++)
        {
            var value = $"step-{i}";
            results.Add(i == input.FlakyStep
                ? await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.FlakyAsync(value, input.FlakyFailures), ChaosActivities.Options)
                : await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync(value, input.DelayMs), ChaosActivities.Options));
        }

        return results;
    }
}
