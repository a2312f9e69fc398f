using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Testing.Tests;

/// <summary>The 30-day onboarding, tested in virtual time: no sleeps, no waiting for days.</summary>
public sealed class TimeSkippingTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Slack between when a timer is due and when the workflow task that handles it runs: real time passes at real speed between skips.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ExecuteWorkflowAsync_NoProfileFor30Days_SkipsToTheWinBackOffer()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(
            flow => flow.AddWorkflow<OnboardingWorkflow>().AddActivities<EmailActivities>(), new WorkflowTestEnvironmentOptions { StartTime = Start });

        var handle = await env.Client.StartWorkflowAsync((OnboardingWorkflow wf) => wf.RunAsync(new NewUser("u1", "u1@example.com")), new StartWorkflowOptions());
        var result = await handle.GetResultAsync();

        Assert.Equal("win-back offer sent", result);
        var history = (await handle.GetHistoryAsync()).Events;
        var fired = history.OfType<TimerFired>().Select(f => f.Timestamp - Start).ToList();
        Assert.Equal(2, fired.Count);
        Assert.InRange(fired[0], TimeSpan.FromDays(7), TimeSpan.FromDays(7) + Slack);
        Assert.InRange(fired[1], TimeSpan.FromDays(30), TimeSpan.FromDays(30) + Slack);
        Assert.InRange(history.OfType<WorkflowCompleted>().Single().Timestamp - Start, TimeSpan.FromDays(30), TimeSpan.FromDays(30) + Slack);
    }

    [Fact]
    public async Task StartDelay_ThreeDays_NothingRunsBeforeThenTheWholeRunShiftsByTheDelay()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(
            flow => flow.AddWorkflow<OnboardingWorkflow>().AddActivities<EmailActivities>(), new WorkflowTestEnvironmentOptions { StartTime = Start });
        var handle = await env.Client.StartWorkflowAsync(
            (OnboardingWorkflow wf) => wf.RunAsync(new NewUser("u9", "u9@example.com")), new StartWorkflowOptions { StartDelay = TimeSpan.FromDays(3) });

        await env.DelayAsync(TimeSpan.FromDays(2));
        var waiting = await handle.DescribeAsync();
        var result = await handle.GetResultAsync();

        Assert.Equal((WorkflowStatus.Running, 1L), (waiting.Status, waiting.HistoryLength));
        Assert.Equal(waiting.CreatedAt + TimeSpan.FromDays(3), waiting.FirstTaskDueAt);
        Assert.Equal("win-back offer sent", result);
        var fired = (await handle.GetHistoryAsync()).Events.OfType<TimerFired>().Select(f => f.Timestamp - Start).ToList();
        Assert.InRange(fired[0], TimeSpan.FromDays(10), TimeSpan.FromDays(10) + Slack);
    }

    [Fact]
    public async Task DelayAsync_EightDaysThenSignal_CompletesAfterTheNudge()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(
            flow => flow.AddWorkflow<OnboardingWorkflow>().AddActivities<EmailActivities>(), new WorkflowTestEnvironmentOptions { StartTime = Start });
        var handle = await env.Client.StartWorkflowAsync((OnboardingWorkflow wf) => wf.RunAsync(new NewUser("u2", "u2@example.com")), new StartWorkflowOptions());

        await env.DelayAsync(TimeSpan.FromDays(8));
        var stage = await handle.QueryAsync(wf => wf.Stage);
        await handle.SignalAsync(wf => wf.ProfileCompleted());

        Assert.Equal("nudged", stage);
        Assert.Equal("completed after a nudge", await handle.GetResultAsync());
        Assert.InRange(env.UtcNow - Start, TimeSpan.FromDays(8), TimeSpan.FromDays(8) + Slack);
        Assert.Empty((await handle.DescribeAsync()).PendingTimers);
    }

    [Fact]
    public async Task GetResultAsync_AutoTimeSkippingOff_TimesOutInRealTimeWithTheWaitingTimer()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(
            flow => flow.AddWorkflow<OnboardingWorkflow>().AddActivities<EmailActivities>(),
            new WorkflowTestEnvironmentOptions { StartTime = Start, AutoTimeSkipping = false, WaitTimeout = TimeSpan.FromMilliseconds(300) });
        var handle = await env.Client.StartWorkflowAsync((OnboardingWorkflow wf) => wf.RunAsync(new NewUser("u3", "u3@example.com")), new StartWorkflowOptions());

        var error = await Assert.ThrowsAsync<TimeoutException>(() => handle.GetResultAsync());

        Assert.Contains("did not close within", error.Message, StringComparison.Ordinal);
        Assert.Contains("timers [2030-01-08", error.Message, StringComparison.Ordinal);
        Assert.True(env.UtcNow - Start < TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task SkipAsync_PastTheFirstTimer_NudgesWithoutWaitingForAResult()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(
            flow => flow.AddWorkflow<OnboardingWorkflow>().AddActivities<EmailActivities>(), new WorkflowTestEnvironmentOptions { StartTime = Start });
        var handle = await env.Client.StartWorkflowAsync((OnboardingWorkflow wf) => wf.RunAsync(new NewUser("u4", "u4@example.com")), new StartWorkflowOptions());
        await env.DelayAsync(TimeSpan.Zero);

        await env.SkipAsync(TimeSpan.FromDays(7));
        await env.DelayAsync(TimeSpan.Zero);

        Assert.Equal("nudged", await handle.QueryAsync(wf => wf.Stage));
    }
}
