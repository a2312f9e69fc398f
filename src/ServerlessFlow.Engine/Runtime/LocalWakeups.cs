namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Tells this process's pollers that a message was just sent to a queue, or that a delayed one it sent has come due, so a
/// worker that enqueues work for itself picks it up at once instead of waiting for its next (backed-off) poll.
/// </summary>
public sealed class LocalWakeups
{
    /// <summary>Raised with the logical queue name after a message visible now was sent to it.</summary>
    public event Action<string>? MessageSent;

    internal void Notify(string queue) => MessageSent?.Invoke(queue);

    /// <summary>
    /// Notifies when a message sent (or put back) with <paramref name="delay"/> becomes visible. The message itself is the
    /// durable record; this only spares the pollers from finding it late, so a lost notification (a restart) costs nothing but latency.
    /// </summary>
    internal void NotifyAfter(string queue, TimeSpan delay, TimeProvider time)
    {
        if (delay <= TimeSpan.Zero)
        {
            Notify(queue);
            return;
        }

        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            Notify(queue);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }
}
