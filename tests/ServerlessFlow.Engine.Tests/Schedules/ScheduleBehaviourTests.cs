using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Schedules;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.Schedules;
using static ServerlessFlow.Engine.Tests.Schedules.ScheduleScenario;

namespace ServerlessFlow.Engine.Tests.Schedules;

/// <summary>Schedules firing, catching up, pausing, triggering, backfilling, changing and going away (fake clock, in-memory backend).</summary>
public sealed class ScheduleBehaviourTests
{
    [Fact]
    public async Task Schedule_EveryMinute_OneRunPerTimeWithDeterministicIdsAndAttributes()
    {
        await using var s = await CreateAsync();
        for (var minute = 1; minute <= 3; minute++)
        {
            await s.AdvanceToAsync(minute);
            var run = await s.WaitForRunAsync(minute, WorkflowStatus.Running);
            Assert.Equal(Id, run.SearchAttributes[BuiltInSearchAttributes.ScheduledById].GetString());
            Assert.Equal(At(minute), run.SearchAttributes[BuiltInSearchAttributes.ScheduledStartTime].GetDateTimeOffset());
            await s.FinishAsync(minute);
        }

        Assert.Equal($"{Id}-2026-03-01T00:02:00Z", RunOf(2));
        var described = await s.WaitForScheduleAsync(d => d.ActionCount == 3 && d.RunningWorkflows.Count == 0);
        Assert.Equal([RunOf(1), RunOf(2), RunOf(3)], described.RecentActions.Select(a => a.WorkflowId));
    }

    [Fact]
    public async Task Schedule_WakeDeliveredTwiceAndPassesRace_StartsOnce()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.Skip));
        s.Clock.SetUtcNow(At(1));
        var processor = s.Engine.Get<ScheduleProcessor>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => processor.RunPassAsync(Id, rearm: false, CancellationToken.None)));
        await s.WaitForScheduleAsync(d => d.NextActionTimes[0] == At(2));

        // Whichever pass wrote last, the run is tracked (so Skip holds for minute 2) and there is one run for minute 1.
        await s.WaitForRunAsync(1, WorkflowStatus.Running);
        var raced = await s.Schedules.DescribeScheduleAsync(Id);
        Assert.Equal([RunOf(1)], raced.RunningWorkflows);
        Assert.Equal(1, raced.ActionCount);
        await s.AdvanceToAsync(2);
        Assert.Equal(1, (await s.WaitForScheduleAsync(d => d.OverlapSkipped == 1)).OverlapSkipped);
        Assert.Null(await s.DescribeOrNullAsync(RunOf(2)));
    }

    [Fact]
    public async Task CatchupWindow_OutageLongerThanWindow_OnlyTimesInsideRunAndMissedCounted()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.AllowAll, catchup: TimeSpan.FromSeconds(150)));

        // Nothing ran for ten minutes: the wake-up of minute 1 is handled at minute 10.
        await s.AdvanceToAsync(10);
        var described = await s.WaitForScheduleAsync(d => d.ActionCount == 3);
        Assert.Equal(7, described.MissedCatchupWindow);
        foreach (var minute in new[] { 8, 9, 10 })
        {
            await s.WaitForRunAsync(minute, WorkflowStatus.Running);
        }

        for (var minute = 1; minute <= 7; minute++)
        {
            Assert.Null(await s.DescribeOrNullAsync(RunOf(minute)));
        }
    }

    [Fact]
    public async Task CatchupWindow_DefaultYearWithBufferAll_EveryMissedTimeRunsInOrder()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.BufferAll));
        await s.AdvanceToAsync(3);
        for (var minute = 1; minute <= 3; minute++)
        {
            await s.WaitForRunAsync(minute, WorkflowStatus.Running);
            await s.FinishAsync(minute);
        }

        Assert.Equal(0, (await s.WaitForScheduleAsync(d => d.ActionCount == 3)).MissedCatchupWindow);
    }

    [Fact]
    public async Task Pause_WithNote_NoRunsAndNoCatchUpAfterUnpause()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.AllowAll));
        var paused = await s.Schedules.PauseScheduleAsync(Id, "maintenance window");
        Assert.True(paused.Paused);
        Assert.Equal("maintenance window", paused.Note);
        Assert.Empty(paused.NextActionTimes);

        await s.AdvanceToAsync(3);
        var unpaused = await s.Schedules.UnpauseScheduleAsync(Id, "back");
        Assert.False(unpaused.Paused);
        Assert.Equal(At(4), unpaused.NextActionTimes[0]);
        await s.AdvanceToAsync(4);
        await s.WaitForRunAsync(4, WorkflowStatus.Running);

        var described = await s.WaitForScheduleAsync(d => d.ActionCount == 1);
        Assert.Equal(0, described.MissedCatchupWindow);
        for (var minute = 1; minute <= 3; minute++)
        {
            Assert.Null(await s.DescribeOrNullAsync(RunOf(minute)));
        }
    }

    [Fact]
    public async Task Trigger_WhilePaused_StartsNowUnderOverlapPolicy()
    {
        await using var s = await CreateAsync(paused: true);
        s.Clock.SetUtcNow(Start.AddSeconds(30.4));
        await s.Schedules.TriggerScheduleAsync(Id);
        var run = await Eventually.WaitAsync(() => s.DescribeOrNullAsync($"{Id}-2026-03-01T00:00:30Z"), d => d?.Status == WorkflowStatus.Running);

        // A second trigger under Skip while that run is open is skipped; with AllowAll it starts (one second later: another ID).
        await s.Schedules.TriggerScheduleAsync(Id);
        await s.WaitForScheduleAsync(d => d.OverlapSkipped == 1);
        s.Clock.SetUtcNow(Start.AddSeconds(31));
        await s.Schedules.TriggerScheduleAsync(Id, ScheduleOverlapPolicy.AllowAll);
        await Eventually.WaitAsync(() => s.DescribeOrNullAsync($"{Id}-2026-03-01T00:00:31Z"), d => d?.Status == WorkflowStatus.Running);
        Assert.Equal(2, (await s.Schedules.DescribeScheduleAsync(Id)).ActionCount);
        Assert.NotNull(run);
    }

    [Fact]
    public async Task Backfill_RangeThenOverlappingRange_EachTimeOnceIgnoringCatchupWindow()
    {
        await using var s = await CreateAsync(EveryMinute(catchup: TimeSpan.FromSeconds(10)), paused: true);
        await s.Schedules.BackfillScheduleAsync(Id, At(-10), At(-5), ScheduleOverlapPolicy.AllowAll);
        var firstRuns = new Dictionary<int, string>();
        for (var minute = -10; minute < -5; minute++)
        {
            firstRuns[minute] = (await s.WaitForRunAsync(minute, WorkflowStatus.Running)).RunId;
            await s.FinishAsync(minute);
        }

        Assert.Null(await s.DescribeOrNullAsync(RunOf(-5)));
        await s.Schedules.BackfillScheduleAsync(Id, At(-8), At(-3), ScheduleOverlapPolicy.AllowAll);
        await s.WaitForRunAsync(-5, WorkflowStatus.Running);
        await s.WaitForRunAsync(-4, WorkflowStatus.Running);
        var described = await s.WaitForScheduleAsync(d => d.ActionCount == 7);
        Assert.Equal(0, described.MissedCatchupWindow);
        foreach (var (minute, runId) in firstRuns)
        {
            Assert.Equal(runId, (await s.Engine.Client.DescribeWorkflowAsync(RunOf(minute))).RunId);
        }

        Assert.Null(await s.DescribeOrNullAsync(RunOf(-3)));
    }

    [Fact]
    public async Task Backfill_EmptyRange_RejectedWithReason()
    {
        await using var s = await CreateAsync();
        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => s.Schedules.BackfillScheduleAsync(Id, At(5), At(5)));
        Assert.Contains("endAt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_NewSpec_PastTimesNotRerunNextWakeRecomputed()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.AllowAll));
        await s.AdvanceToAsync(2);
        await s.WaitForRunAsync(2, WorkflowStatus.Running);

        var etag = (await s.Schedules.DescribeScheduleAsync(Id)).ETag;
        var every5 = EveryMinute(ScheduleOverlapPolicy.AllowAll) with { Spec = new ScheduleSpec { CronExpressions = ["*/5 * * * *"] } };
        var updated = await s.Schedules.UpdateScheduleAsync(Id, every5, etag);
        Assert.Equal([At(5), At(10), At(15), At(20), At(25)], updated.NextActionTimes);
        await Assert.ThrowsAsync<ScheduleChangedException>(() => s.Schedules.UpdateScheduleAsync(Id, every5, etag));

        await s.AdvanceToAsync(5);
        await s.WaitForRunAsync(5, WorkflowStatus.Running);
        Assert.Null(await s.DescribeOrNullAsync(RunOf(3)));
        Assert.Null(await s.DescribeOrNullAsync(RunOf(4)));
        Assert.Equal(3, (await s.WaitForScheduleAsync(d => d.ActionCount == 3)).ActionCount);
    }

    [Fact]
    public async Task Update_AfterTimesPassedUnderOldSpec_NewSpecTakesNoTimeBeforeTheUpdate()
    {
        var hourly = EveryMinute(ScheduleOverlapPolicy.AllowAll) with { Spec = new ScheduleSpec { CronExpressions = ["0 * * * *"] } };
        await using var s = await CreateAsync(hourly);
        s.Clock.SetUtcNow(At(45));
        var every15 = hourly with { Spec = new ScheduleSpec { CronExpressions = ["*/15 * * * *"] } };
        Assert.Equal(At(60), (await s.Schedules.UpdateScheduleAsync(Id, every15)).NextActionTimes[0]);

        await s.AdvanceToAsync(60);
        await s.WaitForRunAsync(60, WorkflowStatus.Running);
        foreach (var minute in new[] { 15, 30, 45 })
        {
            Assert.Null(await s.DescribeOrNullAsync(RunOf(minute)));
        }
    }

    [Fact]
    public async Task Pause_WithBufferedAction_HeldUntilUnpause()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.BufferAll));
        await s.AdvanceToAsync(1);
        await s.WaitForRunAsync(1, WorkflowStatus.Running);
        await s.AdvanceToAsync(2);
        await s.Schedules.PauseScheduleAsync(Id);

        await s.FinishAsync(1);
        var held = await s.WaitForScheduleAsync(d => d.RunningWorkflows.Count == 0);
        Assert.Equal(1, held.ActionCount);
        Assert.Null(await s.DescribeOrNullAsync(RunOf(2)));

        await s.Schedules.UnpauseScheduleAsync(Id);
        await s.WaitForRunAsync(2, WorkflowStatus.Running);
    }

    [Fact]
    public async Task Delete_StrayWake_StartsNothing()
    {
        await using var s = await CreateAsync();
        Assert.True(await s.Schedules.DeleteScheduleAsync(Id));
        Assert.False(await s.Schedules.DeleteScheduleAsync(Id));
        await Assert.ThrowsAsync<ScheduleNotFoundException>(() => s.Schedules.DescribeScheduleAsync(Id));

        s.Clock.SetUtcNow(At(2));
        var queue = Backend.QueueNames.Workflow("default");
        await Eventually.WaitAsync(() => Task.FromResult(s.Engine.Backend.Memory!.Peek(queue)), q => q.Count == 0);
        Assert.Null(await s.DescribeOrNullAsync(RunOf(1)));
    }

    [Fact]
    public async Task Create_InvalidSpecOrAction_RejectedAndNothingStored()
    {
        await using var s = await CreateAsync();
        var badCron = EveryMinute() with { Spec = new ScheduleSpec { CronExpressions = ["61 * * * *"] } };
        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => s.Schedules.CreateScheduleAsync("bad-cron", badCron));
        Assert.Contains("61 * * * *", error.Message, StringComparison.Ordinal);

        var badType = EveryMinute() with { Action = new ScheduleAction { WorkflowType = "NoSuchWorkflow" } };
        error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => s.Schedules.CreateScheduleAsync("bad-type", badType));
        Assert.Contains("NoSuchWorkflow", error.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<ScheduleAlreadyExistsException>(() => s.Schedules.CreateScheduleAsync(Id, EveryMinute()));
        Assert.Equal([Id], (await s.Schedules.ListSchedulesAsync()).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Housekeeping_WakeLost_BackstopStartsTheRun()
    {
        // The only worker serves another task queue, so the wake-up message sent to "default" is never received.
        var clock = new FakeTimeProvider(Start);
        await using var engine = new EngineHarness(
            b => b.AddWorkflow<GateWorkflow>().ConfigureWorker(o => o with { TaskQueues = ["elsewhere"] }), TestBackend.InMemory(clock), clock);
        await engine.Schedules.CreateScheduleAsync(Id, EveryMinute());
        clock.SetUtcNow(At(1) + TimeSpan.FromSeconds(1));

        // The housekeeping pass (run here, and by the worker on its own timer) finds the schedule overdue and runs it.
        await engine.Get<HousekeepingPass>().RunAsync(CancellationToken.None);
        var run = await Eventually.WaitAsync(() => engine.Client.ListWorkflowsAsync(new WorkflowListQuery()), p => p.Items.Count == 1);
        Assert.Equal(RunOf(1), run.Items[0].Id);
        Assert.Equal(WorkflowStatus.Running, (await engine.Client.DescribeWorkflowAsync(RunOf(1))).Status);
    }

    [Fact]
    public async Task Schedule_RunPurged_TimeNotStartedAgain()
    {
        await using var s = await CreateAsync();
        await s.AdvanceToAsync(1);
        await s.WaitForRunAsync(1, WorkflowStatus.Running);
        await s.FinishAsync(1);
        Assert.True(await s.Engine.Client.PurgeWorkflowAsync(RunOf(1)));

        await s.Engine.Get<ScheduleProcessor>().RunPassAsync(Id, rearm: false, CancellationToken.None);
        Assert.Null(await s.DescribeOrNullAsync(RunOf(1)));
        Assert.Equal(1, (await s.Schedules.DescribeScheduleAsync(Id)).ActionCount);
    }
}
