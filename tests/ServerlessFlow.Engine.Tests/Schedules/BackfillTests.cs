using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Schedules;
using ServerlessFlow.Schedules;
using static ServerlessFlow.Engine.Tests.Schedules.ScheduleScenario;

namespace ServerlessFlow.Engine.Tests.Schedules;

/// <summary>
/// A backfill runs in passes of at most <see cref="ScheduleProcessor.MaxActionsPerPass"/> actions, the first inside the request and
/// each arming the next through the workflow queue: the bound that keeps one schedule from holding the workers (issue 11 defect 5).
/// On the in-memory backend, whose calls complete at once, and a fake clock.
/// </summary>
public sealed class BackfillTests
{
    private const string Backfilled = "backfilled";

    /// <summary>Passes that arm a next one: all but the last.</summary>
    private const int ArmingPasses = (ScheduleClient.MaxBackfillActions / ScheduleProcessor.MaxActionsPerPass) - 1;

    /// <summary>
    /// Each pass wakes the schedule "now"; on a clock that has not moved since the pass that armed it (a fake clock stands still) that is
    /// the very time it was armed for, and the pass must still arm the next: the wake-up it handles has left the queue.
    /// </summary>
    [Fact]
    public async Task Backfill_LargestAllowedOnAClockStandingStill_RunsEveryPassEachArmingTheNext()
    {
        var (_, queues, engine) = Engine();
        await using var owned = engine;
        await engine.Schedules.CreateScheduleAsync(Backfilled, EveryMinute(), paused: true);

        // Skip keeps it cheap: the first time starts a run that stays open, the other 9,999 are skipped, 100 a pass.
        await engine.Schedules.BackfillScheduleAsync(Backfilled, At(-ScheduleClient.MaxBackfillActions), At(0), ScheduleOverlapPolicy.Skip);
        var done = await Eventually.WaitAsync(
            () => engine.Schedules.DescribeScheduleAsync(Backfilled), d => d.ActionCount + d.OverlapSkipped == ScheduleClient.MaxBackfillActions);

        Assert.Equal((1, ScheduleClient.MaxBackfillActions - 1), (done.ActionCount, done.OverlapSkipped));
        Assert.Equal(At(-ScheduleClient.MaxBackfillActions), Assert.Single(done.RecentActions).ScheduledAt);
        var wakes = queues.Sent.Select(sent => sent.Message).OfType<ScheduleMessage>().Where(m => m.ScheduleId == Backfilled).ToList();
        Assert.Equal(ArmingPasses, wakes.Count);
        Assert.All(wakes, wake => Assert.Equal(Start, wake.WakeAt));
    }

    /// <summary>
    /// One schedule's backfill does not starve the others (issue 11, defect 5): its passes, each arming the next through the workflow
    /// queue, leave room for another schedule's wake-up that comes due meanwhile, which is taken before the backfill ends. The order is
    /// read from the wake-ups the passes send (a backfill pass that leaves work arms the next; the other schedule's pass that took a
    /// minute arms the next minute), not from timing.
    /// </summary>
    [Fact]
    public async Task Backfill_LargestAllowedOnOneSchedule_AnotherScheduleTakesItsDueActionBeforeItEnds()
    {
        var (clock, queues, engine) = Engine();
        await using var owned = engine;
        await engine.Schedules.CreateScheduleAsync(Id, EveryMinute(ScheduleOverlapPolicy.AllowAll));
        await engine.Schedules.CreateScheduleAsync(Backfilled, EveryMinute(), paused: true);
        // Minute 1 first: the process's first start of a run is slow (code loaded and compiled), and would measure that, not fairness.
        clock.SetUtcNow(At(1) + TimeSpan.FromSeconds(1));
        await Eventually.WaitAsync(() => engine.Schedules.DescribeScheduleAsync(Id), d => d.ActionCount == 1);

        // Skip keeps the backfill cheap: its first time starts a run that stays open, the other 9,999 are skipped, 100 a pass.
        await engine.Schedules.BackfillScheduleAsync(Backfilled, At(1 - ScheduleClient.MaxBackfillActions), At(1), ScheduleOverlapPolicy.Skip);
        clock.SetUtcNow(At(2) + TimeSpan.FromSeconds(1)); // minute 2 comes due while the backfill's passes go on

        await Eventually.WaitAsync(
            () => engine.Schedules.DescribeScheduleAsync(Backfilled), d => d.ActionCount + d.OverlapSkipped == ScheduleClient.MaxBackfillActions);
        var took = await Eventually.WaitAsync(() => engine.Schedules.DescribeScheduleAsync(Id), d => d.ActionCount == 2);

        Assert.Equal([At(1), At(2)], took.RecentActions.Select(a => a.ScheduledAt));
        var wakes = queues.Sent.Select(sent => sent.Message).OfType<ScheduleMessage>().ToList();
        var tookMinuteTwo = wakes.FindIndex(m => m.ScheduleId == Id && m.WakeAt > At(2)); // the pass that took minute 2 armed minute 3
        Assert.InRange(tookMinuteTwo, 0, wakes.Count - 1);
        var passesBefore = wakes.Take(tookMinuteTwo).Count(m => m.ScheduleId == Backfilled);
        Assert.True(
            wakes.Skip(tookMinuteTwo).Any(m => m.ScheduleId == Backfilled),
            $"Minute 2 was taken only after the backfill's last pass ({passesBefore} backfill passes armed a next one before it).");
    }

    /// <summary>An engine on the in-memory backend and a clock standing still at <c>Start</c>, recording what it sends.</summary>
    private static (FakeTimeProvider Clock, RecordingQueues Queues, EngineHarness Engine) Engine()
    {
        var clock = new FakeTimeProvider(Start);
        var memory = TestBackend.InMemory(clock);
        var queues = new RecordingQueues(memory.Queues);
        return (clock, queues, new EngineHarness(b => b.AddWorkflow<GateWorkflow>(), memory with { Queues = queues }, clock));
    }
}
