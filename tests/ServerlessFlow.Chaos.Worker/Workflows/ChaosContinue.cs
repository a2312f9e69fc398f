namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>Input of <see cref="ChaosContinue"/>: the run's iteration, the last one, and the total so far.</summary>
/// <param name="Iteration">This run's iteration, from 0.</param>
/// <param name="Last">The iteration that returns.</param>
/// <param name="Total">The sum carried from earlier runs.</param>
public sealed record ContinueInput(int Iteration, int Last, int Total);

/// <summary>
/// Each run runs an activity and a <see cref="ChaosDoubler"/> child (default ID) with its iteration, adds the
/// child's result to the total, and continues as new until the last iteration, which returns the total.
/// </summary>
[Workflow]
public sealed class ChaosContinue
{
    /// <summary>The total the last run returns for <paramref name="last"/>: the sum of 2·(i + 1) over every iteration.</summary>
    public static int ExpectedTotal(int last) => Enumerable.Range(0, last + 1).Sum(i => 2 * (i + 1));

    /// <summary>Runs one iteration.</summary>
    [WorkflowRun]
    public async Task<int> RunAsync(ContinueInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var value = $"iteration-{input.Iteration}";
        await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync(value, 0), ChaosActivities.Options);
        var doubled = await Workflow.ExecuteChildWorkflowAsync((ChaosDoubler d) => d.RunAsync(input.Iteration + 1));
        var total = input.Total + doubled;
        return input.Iteration >= input.Last ? total : throw Workflow.CreateContinueAsNewException(new ContinueInput(input.Iteration + 1, input.Last, total));
    }
}

/// <summary>Returns twice its input after an activity.</summary>
[Workflow]
public sealed class ChaosDoubler
{
    /// <summary>Doubles.</summary>
    [WorkflowRun]
    public async Task<int> RunAsync(int value)
    {
        await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync("double", 0), ChaosActivities.Options);
        return 2 * value;
    }
}
