namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The clock of callers' waits (<see cref="IWorkflowClient.WaitForCloseAsync"/>, updates): real time even when workflows run on a
/// fake or skipping clock, so that a workflow clock standing still does not make a wait endless. Tests replace it to decide when a
/// wait's fallback reads fall due.
/// </summary>
/// <param name="Time">The clock.</param>
internal sealed record CallerClock(TimeProvider Time)
{
    /// <summary>Real time.</summary>
    public static CallerClock Real { get; } = new(TimeProvider.System);
}
