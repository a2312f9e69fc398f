using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.InMemory;

/// <summary>
/// Delayed messages follow the backend's clock: each arms a timer on it that wakes this process's pollers when the
/// message comes due, so a fake or skipping clock moved forward delivers timers at once rather than at the next poll.
/// </summary>
internal sealed partial class InMemoryBackend
{
    private LocalWakeups? wakeups;

    /// <summary>Wakes the pollers of <paramref name="localWakeups"/> when a delayed message comes due; returns the backend.</summary>
    public InMemoryBackend WakeVia(LocalWakeups localWakeups)
    {
        wakeups = localWakeups;
        return this;
    }

    /// <summary>
    /// The queues as the test environment needs them to decide whether time may skip: whether any message can be received
    /// now, and the earliest time a hidden one becomes visible (null when none is hidden).
    /// </summary>
    public (bool AnyVisible, DateTimeOffset? NextVisibleAt) QueueState()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var messages = queues.Values.SelectMany(q => q).ToList();
            var hidden = messages.Where(m => m.VisibleAt > now).Select(m => (DateTimeOffset?)m.VisibleAt).Min();
            return (messages.Any(m => m.VisibleAt <= now), hidden);
        }
    }

    /// <summary>Replaces the message's due timer; called under the lock whenever its visibility time changes.</summary>
    private void ArmDueTimer(string queue, QueuedMessage message)
    {
        Disarm(message);
        var delay = message.VisibleAt - time.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            message.DueTimer = time.CreateTimer(_ => wakeups?.Notify(queue), null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops the message's due timer; true, so it can stand in a removal condition.</summary>
    private static bool Disarm(QueuedMessage message)
    {
        message.DueTimer?.Dispose();
        message.DueTimer = null;
        return true;
    }
}
