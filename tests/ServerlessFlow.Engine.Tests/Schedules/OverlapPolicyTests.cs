using ServerlessFlow.Schedules;
using static ServerlessFlow.Engine.Tests.Schedules.ScheduleScenario;

namespace ServerlessFlow.Engine.Tests.Schedules;

/// <summary>
/// One test per overlap policy: the run of minute 1 stays open while minutes 2, 3 and 4 come due
/// (fake clock, in-memory backend), then the policy's promise is checked.
/// </summary>
public sealed class OverlapPolicyTests
{
    [Fact]
    public async Task Overlap_Skip_RunOpen_TimesSkippedAndCounted()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.Skip));
        await s.AdvanceToAsync(1);
        await s.WaitForRunAsync(1, WorkflowStatus.Running);
        for (var minute = 2; minute <= 4; minute++)
        {
            await s.AdvanceToAsync(minute);
        }

        var described = await s.WaitForScheduleAsync(d => d.OverlapSkipped == 3);
        Assert.Equal(1, described.ActionCount);
        Assert.Equal([RunOf(1)], described.RunningWorkflows);
        Assert.All([2, 3, 4], m => Assert.Null(s.DescribeOrNullAsync(RunOf(m)).Result));

        await s.FinishAsync(1);
        await s.AdvanceToAsync(5);
        await s.WaitForRunAsync(5, WorkflowStatus.Running);
        Assert.Equal(2, (await s.Schedules.DescribeScheduleAsync(Id)).ActionCount);
    }

    [Fact]
    public async Task Overlap_BufferOne_ThreeTimesDuringRun_OnlyFirstStartsAfterClose()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.BufferOne));
        await s.AdvanceToAsync(1);
        await s.WaitForRunAsync(1, WorkflowStatus.Running);
        for (var minute = 2; minute <= 4; minute++)
        {
            await s.AdvanceToAsync(minute);
        }

        await s.WaitForScheduleAsync(d => d.OverlapSkipped == 2);
        Assert.Null(await s.DescribeOrNullAsync(RunOf(2)));

        // The close itself wakes the schedule (the closing commit's outbox): no clock movement needed.
        await s.FinishAsync(1);
        await s.WaitForRunAsync(2, WorkflowStatus.Running);
        var described = await s.WaitForScheduleAsync(d => d.ActionCount == 2);
        Assert.Equal([RunOf(2)], described.RunningWorkflows);
        Assert.Null(await s.DescribeOrNullAsync(RunOf(3)));
        Assert.Null(await s.DescribeOrNullAsync(RunOf(4)));
    }

    [Fact]
    public async Task Overlap_BufferAll_ThreeTimesDuringRun_AllStartInOrderOneAtATime()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.BufferAll));
        await s.AdvanceToAsync(1);
        await s.WaitForRunAsync(1, WorkflowStatus.Running);
        for (var minute = 2; minute <= 4; minute++)
        {
            await s.AdvanceToAsync(minute);
        }

        Assert.Equal(0, (await s.Schedules.DescribeScheduleAsync(Id)).OverlapSkipped);
        for (var minute = 1; minute <= 3; minute++)
        {
            Assert.Null(await s.DescribeOrNullAsync(RunOf(minute + 1)));
            await s.FinishAsync(minute);
            await s.WaitForRunAsync(minute + 1, WorkflowStatus.Running);
            var described = await s.WaitForScheduleAsync(d => d.ActionCount == minute + 1);
            Assert.Equal([RunOf(minute + 1)], described.RunningWorkflows);
        }

        var actions = (await s.Schedules.DescribeScheduleAsync(Id)).RecentActions;
        Assert.Equal([At(1), At(2), At(3), At(4)], actions.Select(a => a.ScheduledAt));
    }

    [Fact]
    public async Task Overlap_CancelOther_RunOpen_CanceledThenNewStartsAfterItCloses()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.CancelOther));
        await s.AdvanceToAsync(1);
        await s.WaitForRunAsync(1, WorkflowStatus.Running);

        await s.AdvanceToAsync(2);
        await s.WaitForRunAsync(1, WorkflowStatus.Canceled);
        await s.WaitForRunAsync(2, WorkflowStatus.Running);
        Assert.Equal([RunOf(2)], (await s.WaitForScheduleAsync(d => d.ActionCount == 2)).RunningWorkflows);
    }

    [Fact]
    public async Task Overlap_TerminateOther_RunOpen_TerminatedAndNewStartsAtOnce()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.TerminateOther));
        await s.AdvanceToAsync(1);
        await s.WaitForRunAsync(1, WorkflowStatus.Running);

        await s.AdvanceToAsync(2);
        var terminated = await s.WaitForRunAsync(1, WorkflowStatus.Terminated);
        await s.WaitForRunAsync(2, WorkflowStatus.Running);
        Assert.Contains("TerminateOther", (await s.Engine.Client.GetHistoryAsync(terminated.Id)).OfType<History.WorkflowTerminated>().Single().Reason, StringComparison.Ordinal);
        Assert.Equal([RunOf(2)], (await s.WaitForScheduleAsync(d => d.ActionCount == 2)).RunningWorkflows);
    }

    [Fact]
    public async Task Overlap_AllowAll_RunOpen_StartsConcurrently()
    {
        await using var s = await CreateAsync(EveryMinute(ScheduleOverlapPolicy.AllowAll));
        for (var minute = 1; minute <= 4; minute++)
        {
            await s.AdvanceToAsync(minute);
            await s.WaitForRunAsync(minute, WorkflowStatus.Running);
        }

        var described = await s.WaitForScheduleAsync(d => d.ActionCount == 4);
        Assert.Equal([RunOf(1), RunOf(2), RunOf(3), RunOf(4)], described.RunningWorkflows.Order(StringComparer.Ordinal));
        Assert.Equal(0, described.OverlapSkipped);
    }
}
