namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The eager first tasks this process runs in the background (no caller waits for them, and no poller's stopping token reaches
/// them). When the process stops — its worker returns, or the container is disposed (a Functions host) — they are told through
/// <see cref="Stopping"/> and awaited within a bound, so none writes after the services it uses are gone: a run stopped that way
/// is woken through its queue (or the recovery sweep), as a failed eager start is.
/// </summary>
internal sealed class EagerRuns : IAsyncDisposable, IDisposable
{
    /// <summary>How long a stopping process waits for its eager runs.</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource stopping = new();
    private readonly InFlightTasks running = new();
    private int stopped;

    /// <summary>Cancelled when the process stops.</summary>
    public CancellationToken Stopping => stopping.Token;

    /// <summary>Runs <paramref name="work"/> in the background with the stopping token, tracked until it ends.</summary>
    public void Run(Func<CancellationToken, Task> work) => running.Track(Task.Run(() => work(stopping.Token), CancellationToken.None));

    /// <summary>Stops the eager runs and waits for them (within the bound); returns how many were still running then.</summary>
    public async Task<int> StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0)
        {
            await stopping.CancelAsync();
        }

        return await running.DrainAsync(Drain);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stopping.Dispose();
    }

    /// <summary>A container disposed synchronously: the runs are told to stop, not awaited.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0)
        {
            stopping.Cancel();
        }
    }
}
