namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The time a stopping worker gives its work to wind down: to hand back what it claimed and did not run, record outcomes it
/// already has, and put its messages back. One budget, counted from the stop, bounds every such write and the worker's wait
/// for them, so a slow hand-back is never cut short by a tighter limit of its own (and then left to wait out a lease).
/// </summary>
internal sealed class WindDown : IDisposable
{
    /// <summary>From the stop to the last wind-down write: room for several storage round trips on a loaded machine.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource budget = new();
    private readonly CancellationTokenRegistration registration;

    /// <summary>Starts the budget's clock when <paramref name="stopping"/> is cancelled (at once if it already is).</summary>
    public WindDown(CancellationToken stopping) =>
        registration = stopping.Register(static state => ((CancellationTokenSource)state!).CancelAfter(Budget), budget);

    /// <summary>For wind-down writes: not cancelled while the work runs normally, cancelled <see cref="Budget"/> after the stop.</summary>
    public CancellationToken Token => budget.Token;

    public void Dispose()
    {
        // The registration first: a stop arriving later must not touch a disposed source.
        registration.Dispose();
        budget.Dispose();
    }
}
