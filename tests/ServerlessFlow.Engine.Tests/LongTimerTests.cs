using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Timers of days and weeks, on a fake clock: no sleeps, and timers past the 7-day queue limit are re-armed.</summary>
public sealed class LongTimerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Onboarding_NoProfileFor30Days_NudgesAtDay7AndOffersAtDay30()
    {
        var clock = new FakeTimeProvider(Start);
        await using var engine = new EngineHarness(b => b.AddSamples(), TestBackend.InMemory(clock), clock);
        var id = (await engine.Client.StartWorkflowAsync("OnboardingWorkflow", new NewUser("u1", "u1@example.com"), new StartWorkflowOptions())).Id;
        await WaitForStageAsync(engine, id, "welcomed");

        await AdvanceAsync(engine, clock, TimeSpan.FromDays(7));
        await WaitForStageAsync(engine, id, "nudged");
        for (var day = 7; day < 28; day += 7)
        {
            await AdvanceAsync(engine, clock, TimeSpan.FromDays(7)); // each leg of the 23-day wait arrives early and is re-armed
            Assert.Equal("nudged", (await engine.Client.QueryWorkflowAsync(id, "stage", null))?.GetString());
        }

        await AdvanceAsync(engine, clock, TimeSpan.FromDays(2));
        var closed = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(id), d => d.Status != WorkflowStatus.Running);

        Assert.Equal("win-back offer sent", closed.GetResult<string>());
        var history = await engine.Client.GetHistoryAsync(id);
        var fired = history.OfType<TimerFired>().Select(f => f.Timestamp).ToList();
        Assert.Equal([Start.AddDays(7), Start.AddDays(30)], fired);
    }

    [Fact]
    public async Task Onboarding_ProfileCompletedAfterNudge_EndsEarly()
    {
        var clock = new FakeTimeProvider(Start);
        await using var engine = new EngineHarness(b => b.AddSamples(), TestBackend.InMemory(clock), clock);
        var id = (await engine.Client.StartWorkflowAsync("OnboardingWorkflow", new NewUser("u2", "u2@example.com"), new StartWorkflowOptions())).Id;
        await WaitForStageAsync(engine, id, "welcomed");
        await AdvanceAsync(engine, clock, TimeSpan.FromDays(7));
        await WaitForStageAsync(engine, id, "nudged");

        await engine.Client.SignalWorkflowAsync(id, "profile-completed", null);
        var closed = await Eventually.WaitAsync(() => engine.Client.DescribeWorkflowAsync(id), d => d.Status != WorkflowStatus.Running);

        Assert.Equal("completed after a nudge", closed.GetResult<string>());
        Assert.Empty(closed.PendingTimers);
    }

    private static Task WaitForStageAsync(EngineHarness engine, string id, string stage) =>
        Eventually.WaitAsync(() => engine.Client.QueryWorkflowAsync(id, "stage", null), s => s?.GetString() == stage);

    /// <summary>Moves the clock, then waits until the workflow queue holds only wake-ups due later (the due ones were handled).</summary>
    private static async Task AdvanceAsync(EngineHarness engine, FakeTimeProvider clock, TimeSpan by)
    {
        clock.Advance(by);
        await Eventually.WaitAsync(() => Task.FromResult(engine.Backend.Memory!.Peek(QueueNames.Workflow("default"))), q => q.All(m => m.VisibleAt > clock.GetUtcNow()));
    }
}
