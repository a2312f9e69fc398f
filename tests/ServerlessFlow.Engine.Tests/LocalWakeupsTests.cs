using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Tests;

/// <summary>The in-process wake-ups that spare pollers from finding delayed work late: bounded, and harmless past the platform's timer limit.</summary>
public sealed class LocalWakeupsTests
{
    [Fact]
    public void NotifyAfter_DelayPastThePlatformTimerLimit_NeitherThrowsNorArmsATimer()
    {
        // A retry at an activity's schedule-to-close deadline can be months away; a System timer refuses anything over ~49.7 days.
        var wakeups = new LocalWakeups();
        wakeups.MessageSent += _ => { };

        wakeups.NotifyAfter("q", TimeSpan.FromDays(60), TimeProvider.System);

        Assert.Equal(0, wakeups.Armed);
    }

    [Fact]
    public void NotifyAfter_NoPollerListens_ArmsNothing()
    {
        var clock = new FakeTimeProvider();
        var wakeups = new LocalWakeups();

        wakeups.NotifyAfter("q", TimeSpan.FromSeconds(30), clock);

        Assert.Equal(0, wakeups.Armed);
    }

    [Fact]
    public void NotifyAfter_WithinTheHorizon_NotifiesOnceWhenDueAndDisarms()
    {
        var clock = new FakeTimeProvider();
        var wakeups = new LocalWakeups();
        var seen = new List<string>();
        wakeups.MessageSent += seen.Add;

        wakeups.NotifyAfter("q", TimeSpan.FromSeconds(30), clock);
        wakeups.NotifyAfter("q", LocalWakeups.Horizon + TimeSpan.FromSeconds(1), clock);
        var armed = wakeups.Armed;
        clock.Advance(TimeSpan.FromSeconds(29));
        var early = seen.Count;
        clock.Advance(LocalWakeups.Horizon);

        Assert.Equal(1, armed);
        Assert.Equal(0, early);
        Assert.Equal(["q"], seen);
        Assert.Equal(0, wakeups.Armed);
    }

    [Fact]
    public void NotifyAfter_MoreThanTheBound_ArmsAtMostTheBound()
    {
        var clock = new FakeTimeProvider();
        var wakeups = new LocalWakeups();
        var seen = 0;
        wakeups.MessageSent += _ => seen++;

        for (var i = 0; i < LocalWakeups.MaxArmed + 5; i++)
        {
            wakeups.NotifyAfter("q", TimeSpan.FromSeconds(1), clock);
        }

        var armed = wakeups.Armed;
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(LocalWakeups.MaxArmed, armed);
        Assert.Equal(LocalWakeups.MaxArmed, seen);
    }

    [Fact]
    public void Forget_MessageWithdrawnBeforeItIsDue_NeverNotifiesAndDisarms()
    {
        var clock = new FakeTimeProvider();
        var wakeups = new LocalWakeups();
        var seen = new List<string>();
        wakeups.MessageSent += seen.Add;

        wakeups.NotifyAfter("q", TimeSpan.FromSeconds(30), clock, "withdrawn");
        wakeups.NotifyAfter("q", TimeSpan.FromSeconds(30), clock, "kept");
        wakeups.Forget("withdrawn");
        var armed = wakeups.Armed;
        clock.Advance(TimeSpan.FromSeconds(30));
        wakeups.Forget("kept"); // Already fired: nothing left to forget.

        Assert.Equal(1, armed);
        Assert.Equal(["q"], seen);
        Assert.Equal(0, wakeups.Armed);
    }
}
