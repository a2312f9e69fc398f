using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Schedules;
using ServerlessFlow.Schedules;
using static ServerlessFlow.Engine.Tests.Schedules.ScheduleScenario;

namespace ServerlessFlow.Engine.Tests.Schedules;

/// <summary>
/// One schedule's backfill does not starve the others (issue 11, defect 5): its passes, each arming the next through the workflow
/// queue, leave room for another schedule's wake-up that comes due meanwhile, which is taken before the backfill ends. The order is
/// read from the wake-ups the passes send (a backfill pass that leaves work arms the next; the other schedule's pass that took a
/// minute arms the next minute), not from timing. On the in-memory backend, whose calls complete at once.
/// </summary>
public sealed class BackfillFairnessTests
{
    private const string Backfilled = "backfilled";

    [Fact]
    public async Task Backfill_LargestAllowedOnOneSchedule_AnotherScheduleTakesItsDueActionBeforeItEnds()
    {
        var clock = new FakeTimeProvider(Start);
        var memory = TestBackend.InMemory(clock);
        var queues = new RecordingQueues(memory.Queues);
        await using var engine = new EngineHarness(b => b.AddWorkflow<GateWorkflow>(), memory with { Queues = queues }, clock);
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
}
