namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>
/// Sums the amounts of "add" updates (each answered with the running total; a non-positive amount is rejected by
/// the validator) until the "finish" signal; returns [total, updates applied].
/// </summary>
[Workflow]
public sealed class ChaosUpdates
{
    private int total;
    private int applied;
    private bool finished;

    /// <summary>Adds an amount; returns the new total.</summary>
    [WorkflowUpdate("add")]
    public Task<int> AddAsync(int amount)
    {
        total += amount;
        applied++;
        return Task.FromResult(total);
    }

    /// <summary>Rejects amounts that are not positive.</summary>
    [WorkflowUpdateValidator(nameof(AddAsync))]
    public void ValidateAdd(int amount)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "The amount must be positive.");
        }
    }

    /// <summary>Lets the run finish.</summary>
    [WorkflowSignal("finish")]
    public void Finish() => finished = true;

    /// <summary>Waits for the finish signal.</summary>
    [WorkflowRun]
    public async Task<int[]> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => finished);
        await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync("finished", 0), ChaosActivities.Options);
        return [total, applied];
    }
}
