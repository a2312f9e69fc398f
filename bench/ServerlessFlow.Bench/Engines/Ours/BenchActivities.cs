namespace ServerlessFlow.Bench.Engines.Ours;

/// <summary>The activities of the benchmark's own workflows on our engine.</summary>
public sealed class BenchActivities
{
    /// <summary>Waits <paramref name="delayMs"/> and returns <paramref name="index"/>.</summary>
    [Activity]
    public async Task<int> WorkAsync(int index, int delayMs)
    {
        await Task.Delay(delayMs, ActivityExecutionContext.Current.CancellationToken);
        return index;
    }

    /// <summary>Notes when step <paramref name="index"/> ran and returns it.</summary>
    [Activity]
    public Task<int> MarkStepAsync(int index)
    {
        StepClock.Mark(index);
        return Task.FromResult(index);
    }
}
