namespace ServerlessFlow.Testing;

/// <summary>Settings of a <see cref="WorkflowTestEnvironment"/>.</summary>
public sealed record WorkflowTestEnvironmentOptions
{
    /// <summary>The virtual time the environment starts at; the current time when null.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>
    /// True (the default) to skip time while the test waits for a workflow through the environment's client: whenever
    /// no workflow or activity task is running and nothing is ready to run, the clock jumps to the next timer, retry or
    /// timeout, so a workflow that sleeps for 30 days finishes in milliseconds.
    /// </summary>
    public bool AutoTimeSkipping { get; init; } = true;

    /// <summary>
    /// Longest real time one wait of the test may take (a result, an update, <see cref="WorkflowTestEnvironment.DelayAsync"/>)
    /// before it fails with a <see cref="TimeoutException"/> that says what the workflow is waiting on — never a hung test.
    /// </summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
