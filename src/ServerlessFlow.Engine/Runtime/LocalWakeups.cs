using System.Collections.Concurrent;

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

    /// <summary>Wake-ups armed for messages their sender may withdraw, by message ID (<see cref="Forget"/>).</summary>
    private readonly ConcurrentDictionary<string, Wake> byMessage = new(StringComparer.Ordinal);

    private int armed;

    /// <summary>Raised with the logical queue name after a message visible now was sent to it.</summary>
    public event Action<string>? MessageSent;

    /// <summary>
    /// True while a poller of this process listens: a message sent here, or a delayed one when it comes due, then wakes it.
    /// False where none runs (a Functions host, whose queue trigger polls on its own schedule).
    /// </summary>
    internal bool Listening => MessageSent is not null;

    /// <summary>Timers armed now (for tests).</summary>
    internal int Armed => Volatile.Read(ref armed);

    internal void Notify(string queue) => MessageSent?.Invoke(queue);

    /// <summary>
    /// Notifies when a message sent (or put back) with <paramref name="delay"/> becomes visible. The message itself is the
    /// durable record; this only spares the pollers from finding it late, so a lost notification (a restart, a delay past
    /// <see cref="Horizon"/>) costs nothing but latency. Nothing is armed where no poller listens (a Functions host).
    /// </summary>
    /// <param name="queue">The logical queue the message went to.</param>
    /// <param name="delay">How long until it becomes visible.</param>
    /// <param name="time">The clock.</param>
    /// <param name="messageId">The message's ID, when its sender may withdraw it before it comes due (<see cref="Forget"/>).</param>
    internal void NotifyAfter(string queue, TimeSpan delay, TimeProvider time, string? messageId = null)
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
        var wake = new Wake(this);
        if (messageId is not null)
        {
            byMessage[messageId] = wake;
        }

        wake.Timer = time.CreateTimer(_ =>
        {
            if (wake.TryEnd())
            {
                if (messageId is not null)
                {
                    byMessage.TryRemove(KeyValuePair.Create(messageId, wake));
                }

                Notify(queue);
            }
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Disarms the wake-up of a message its sender deleted before it came due (a withdrawn activity check). Left armed, it would
    /// wake the pollers for an empty poll per withdrawn message, long after the work the message guarded had closed.
    /// </summary>
    internal void Forget(string messageId)
    {
        if (byMessage.TryRemove(messageId, out var wake))
        {
            wake.TryEnd();
        }
    }

    /// <summary>One armed wake-up; it ends once, by firing or by being forgotten.</summary>
    private sealed class Wake(LocalWakeups owner)
    {
        private int ended;

        public ITimer? Timer { get; set; }

        /// <summary>Ends the wake-up and gives back its place among the armed ones; false if it had already ended.</summary>
        public bool TryEnd()
        {
            if (Interlocked.Exchange(ref ended, 1) == 1)
            {
                return false;
            }

            Interlocked.Decrement(ref owner.armed);
            Timer?.Dispose();
            return true;
        }
    }
}
