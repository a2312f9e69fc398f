using System.Diagnostics;

namespace ServerlessFlow.Testing;

/// <summary>
/// The test environment's clock: it runs at real speed from a chosen start, and jumps ahead when the environment skips
/// time. Timers created on it fire when either brings their due time, so <c>Task.Delay(d, clock)</c> and delayed
/// messages behave as on the real clock, only sooner.
/// </summary>
internal sealed class SkippingTimeProvider : TimeProvider, IDisposable
{
    private readonly Lock gate = new();
    private readonly long startedAt = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset start;
    private readonly List<VirtualTimer> timers = [];
    private readonly ITimer pump;
    private TimeSpan skipped;

    public SkippingTimeProvider(DateTimeOffset start)
    {
        this.start = start;
        pump = System.CreateTimer(_ => FireDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How far the clock has jumped ahead of real time in total.</summary>
    public TimeSpan Skipped
    {
        get
        {
            lock (gate)
            {
                return skipped;
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return Now();
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward to <paramref name="target"/> (no-op if it is not ahead) and fires the timers that came due.</summary>
    public void AdvanceTo(DateTimeOffset target)
    {
        lock (gate)
        {
            var now = Now();
            if (target > now)
            {
                skipped += target - now;
            }
        }

        FireDue();
    }

    public void Dispose() => pump.Dispose();

    private DateTimeOffset Now() => start + System.GetElapsedTime(startedAt) + skipped;

    private void Set(VirtualTimer timer, DateTimeOffset? dueAt, TimeSpan period)
    {
        lock (gate)
        {
            timers.Remove(timer);
            timer.DueAt = dueAt;
            timer.Period = period;
            if (dueAt is not null)
            {
                timers.Add(timer);
            }
        }

        FireDue();
    }

    /// <summary>Runs the callbacks of due timers (outside the lock: they may create timers), then arms the real pump for the next one.</summary>
    private void FireDue()
    {
        List<VirtualTimer> due;
        lock (gate)
        {
            var now = Now();
            due = timers.Where(t => t.DueAt <= now).ToList();
            foreach (var timer in due)
            {
                if (timer.Period > TimeSpan.Zero && timer.Period != Timeout.InfiniteTimeSpan)
                {
                    timer.DueAt = now + timer.Period;
                }
                else
                {
                    timers.Remove(timer);
                    timer.DueAt = null;
                }
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }

        lock (gate)
        {
            var next = timers.Min(t => t.DueAt);
            var wait = next is { } at ? at - Now() : Timeout.InfiniteTimeSpan;
            pump.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
        }
    }

    private sealed class VirtualTimer(SkippingTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Set(this, dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Set(this, null, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
