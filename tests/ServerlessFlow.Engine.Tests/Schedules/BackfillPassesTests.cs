using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Schedules;
using ServerlessFlow.Schedules;
using static ServerlessFlow.Engine.Tests.Schedules.ScheduleScenario;

namespace ServerlessFlow.Engine.Tests.Schedules;

/// <summary>
/// A backfill runs in passes of at most <see cref="ScheduleProcessor.MaxActionsPerPass"/> actions, the first inside the request and
/// each arming the next through the workflow queue (the bound that keeps one schedule from holding the workers, issue 11 defect 5).
/// Each pass wakes the schedule "now"; on a clock that has not moved since the pass that armed it (a fake clock stands still) that is
/// the very time it was armed for, and the pass must still arm the next: the wake-up it handles has left the queue.
/// </summary>
public sealed class BackfillPassesTests
{
    private const string Backfilled = "backfilled";

    /// <summary>Passes that arm a next one: all but the last.</summary>
    private const int ArmingPasses = (ScheduleClient.MaxBackfillActions / ScheduleProcessor.MaxActionsPerPass) - 1;

    [Fact]
    public async Task Backfill_LargestAllowedOnAClockStandingStill_RunsEveryPassEachArmingTheNext()
    {
        var clock = new FakeTimeProvider(Start);
        var memory = TestBackend.InMemory(clock);
        var queues = new RecordingQueues(memory.Queues);
        await using var engine = new EngineHarness(b => b.AddWorkflow<GateWorkflow>(), memory with { Queues = queues }, clock);
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
}
