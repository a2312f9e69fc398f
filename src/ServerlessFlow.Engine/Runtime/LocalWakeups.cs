namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Tells this process's pollers that a message was just sent to a queue, or that a delayed one it sent has come due, so a
/// worker that enqueues work for itself picks it up at once instead of waiting for its next (backed-off) poll.
/// </summary>
public sealed class LocalWakeups
{
    /// <summary>
    /// Delays further off than this hold no timer: polling finds such a message within its poll ceiling, and a process with
    /// many sleeping workflows does not keep a timer per sleep (nor hit the platform's ~49-day timer limit).
    /// </summary>
    internal static readonly TimeSpan Horizon = TimeSpan.FromMinutes(15);

    /// <summary>Most timers armed at once; past it, polling finds the message.</summary>
    internal const int MaxArmed = 10_000;

    private int armed;

    /// <summary>Raised with the logical queue name after a message visible now was sent to it.</summary>
    public event Action<string>? MessageSent;

    /// <summary>Timers armed now (for tests).</summary>
    internal int Armed => Volatile.Read(ref armed);

    internal void Notify(string queue) => MessageSent?.Invoke(queue);

    /// <summary>
    /// Notifies when a message sent (or put back) with <paramref name="delay"/> becomes visible. The message itself is the
    /// durable record; this only spares the pollers from finding it late, so a lost notification (a restart, a delay past
    /// <see cref="Horizon"/>) costs nothing but latency. Nothing is armed where no poller listens (a Functions host).
    /// </summary>
    internal void NotifyAfter(string queue, TimeSpan delay, TimeProvider time)
    {
        if (MessageSent is null)
        {
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            Notify(queue);
            return;
        }

        if (delay > Horizon)
        {
            return;
        }

        if (Interlocked.Increment(ref armed) > MaxArmed)
        {
            Interlocked.Decrement(ref armed);
            return;
        }

        // The callback needs nothing of the sender's context (its task slot, its logging scope): do not keep it alive.
        using var noFlow = ExecutionContext.IsFlowSuppressed() ? default(AsyncFlowControl?) : ExecutionContext.SuppressFlow();
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            Interlocked.Decrement(ref armed);
            Notify(queue);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }
}
