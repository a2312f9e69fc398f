namespace ServerlessFlow.Chaos.Worker;

/// <summary>The chaos workflows' activities: each journals its execution, so the tests can count how often it ran.</summary>
public sealed class ChaosActivities(ExecutionJournal journal)
{
    /// <summary>Options every chaos activity uses: a short start-to-close timeout so a killed worker's attempt is taken over quickly, and fast retries.</summary>
    public static readonly ActivityOptions Options = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(5),
        RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(200), MaximumInterval = TimeSpan.FromSeconds(1) },
    };

    /// <summary>Waits <paramref name="delayMs"/> and returns <paramref name="value"/>.</summary>
    [Activity]
    public async Task<string> EchoAsync(string value, int delayMs)
    {
        journal.Record(ExecutionJournal.Begin);
        try
        {
            await Task.Delay(delayMs, ActivityExecutionContext.Current.CancellationToken);
            return value;
        }
        finally
        {
            journal.Record(ExecutionJournal.End);
        }
    }

    /// <summary>Fails its first <paramref name="failures"/> attempts, then returns <paramref name="value"/>.</summary>
    [Activity]
    public Task<string> FlakyAsync(string value, int failures)
    {
        journal.Record(ExecutionJournal.Begin);
        try
        {
            var attempt = ActivityExecutionContext.Current.Info.Attempt;
            return attempt <= failures
                ? throw new ApplicationFailureException($"Planned failure of attempt {attempt} of {failures}.", "PlannedFailure")
                : Task.FromResult(value);
        }
        finally
        {
            journal.Record(ExecutionJournal.End);
        }
    }
}
