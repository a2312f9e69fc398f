namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// How long an idle poller waits before its next receive: from <see cref="MinInterval"/>, four times longer after each empty receive
/// up to its ceiling (reached within seconds, so a process that starts or ends a burst is soon at rest), back to the start after a
/// full batch (a backlog). The ceiling is <see cref="WorkerOptions.MaxPollInterval"/> times
/// the task queues the worker serves, so an idle process polls its queues as often in all as it would serve one task queue:
/// its idle cost does not grow with the task queues. Work this process creates wakes its pollers at once whatever the wait.
/// </summary>
internal sealed class PollBackoff(TimeSpan ceiling)
{
    /// <summary>First poll interval of an idle queue.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);

    private TimeSpan next = MinInterval;

    /// <summary>The longest wait between two receives of one queue.</summary>
    public TimeSpan Ceiling { get; } = ceiling;

    /// <summary>The ceiling for a worker with <paramref name="options"/>: its poll interval once for every task queue it serves.</summary>
    public static TimeSpan CeilingFor(WorkerOptions options) =>
        TimeSpan.FromTicks(options.MaxPollInterval.Ticks * Math.Max(1, options.TaskQueues.Count));

    /// <summary>A receive found nothing (or failed): the wait before the next one; the one after it is longer.</summary>
    public TimeSpan Empty()
    {
        var wait = next;
        next = TimeSpan.FromTicks(Math.Min(next.Ticks * 4, Ceiling.Ticks));
        return wait;
    }

    /// <summary>A receive failed: wait the ceiling before trying again.</summary>
    public void Failed() => next = Ceiling;

    /// <summary>A receive filled its batch: there may be more, so the waits start over.</summary>
    public void Backlog() => next = MinInterval;
}
