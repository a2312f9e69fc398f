using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Testing.Tests;

/// <summary>UseInMemoryBackend(TimeProvider) with a clock the test moves itself: timers follow it, and the test's own waits stay in real time.</summary>
public sealed class FakeClockTests
{
    [Fact]
    public async Task UseInMemoryBackend_FakeClockAdvancedAWeek_NudgesAndWaitsEndInRealTime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddLogging();
        services.AddServerlessFlow(flow => flow.AddWorkflow<OnboardingWorkflow>().AddActivities<EmailActivities>().UseInMemoryBackend(clock));
        await using var provider = services.BuildServiceProvider();
        using var stop = new CancellationTokenSource();
        var worker = provider.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
        var client = provider.GetRequiredService<IWorkflowClient>();
        var handle = await client.StartWorkflowAsync((OnboardingWorkflow wf) => wf.RunAsync(new NewUser("u7", "u7@example.com")), new StartWorkflowOptions());
        await WaitForStageAsync(handle, "welcomed");

        var stillRunning = await client.WaitForCloseAsync(handle.Id, TimeSpan.FromMilliseconds(200));
        clock.Advance(TimeSpan.FromDays(7));
        await WaitForStageAsync(handle, "nudged");

        Assert.Equal(WorkflowStatus.Running, stillRunning.Status);
        Assert.Equal(clock.GetUtcNow(), (await handle.GetHistoryAsync()).Events.OfType<History.TimerFired>().Single().Timestamp);
        await stop.CancelAsync();
        await worker;
    }

    /// <summary>Polls the query with a real-time deadline.</summary>
    private static async Task WaitForStageAsync(WorkflowHandle<OnboardingWorkflow, string> handle, string stage)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await handle.QueryAsync(wf => wf.Stage) != stage)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The onboarding did not reach '{stage}' within 10 s.");
            await Task.Delay(10);
        }
    }
}
