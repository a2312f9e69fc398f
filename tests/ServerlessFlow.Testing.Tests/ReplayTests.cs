using ServerlessFlow.Engine.Replay;
using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Testing.Tests;

/// <summary>Histories recorded from runs, replayed against the code as it is now and as a careless change would make it.</summary>
public sealed class ReplayTests
{
    private static readonly string Committed = Path.Combine(AppContext.BaseDirectory, "Histories");

    [Fact]
    public async Task ReplayDirectoryAsync_CommittedHistories_ReplayCleanAgainstTheCurrentCode()
    {
        var replayer = new WorkflowReplayer(new WorkflowReplayerOptions { Workflows = [typeof(OnboardingWorkflow)] });

        var results = await replayer.ReplayDirectoryAsync(Committed);

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Source}: {r.ReplayFailure?.Message}"));
    }

    [Fact]
    public async Task ReplayAsync_CommittedHistoryAgainstChangedCode_ReportsTheEventAndTheNewCommand()
    {
        var history = await WorkflowHistory.LoadAsync(Path.Combine(Committed, "onboarding-win-back.json"));
        var changed = new WorkflowReplayer(new WorkflowReplayerOptions { Workflows = [typeof(OnboardingWithSms)] });

        var result = await changed.ReplayAsync(history, throwOnReplayFailure: false);

        Assert.Equal(
            "Workflow 'onboarding-ada' (OnboardingWorkflow): history recorded ActivityScheduled 'Send' at event 6; the code now did ScheduleActivity 'SendSms'. " +
            "The workflow code changed in a way that is not replay-safe: guard the change with Workflow.Patched(...) or deploy the previous code. " +
            "History is untouched and the task will be retried.",
            Assert.IsType<NonDeterminismException>(result.ReplayFailure).Message);
    }

    [Fact]
    public async Task ReplayAsync_RecordedHistoryAgainstChangedCode_ReportsTheDivergence()
    {
        var folder = Directory.CreateTempSubdirectory("sf-histories-").FullName;
        await using (var env = await WorkflowTestEnvironment.StartAsync(flow => flow.AddWorkflow<OnboardingWorkflow>().AddActivities<EmailActivities>()))
        {
            var handle = await env.Client.StartWorkflowAsync((OnboardingWorkflow wf) => wf.RunAsync(new NewUser("u6", "u6@example.com")), new StartWorkflowOptions { Id = "onboarding-u6" });
            await handle.GetResultAsync();
            await File.WriteAllTextAsync(Path.Combine(folder, "onboarding-u6.json"), (await handle.GetHistoryAsync()).ToJson());
        }

        var history = await WorkflowHistory.LoadAsync(Path.Combine(folder, "onboarding-u6.json"));
        var current = await new WorkflowReplayer(new WorkflowReplayerOptions { Workflows = [typeof(OnboardingWorkflow)] }).ReplayAsync(history);
        var changed = new WorkflowReplayer(new WorkflowReplayerOptions { Workflows = [typeof(OnboardingWithSms)] });
        var error = await Assert.ThrowsAsync<NonDeterminismException>(() => changed.ReplayAsync(history));

        Assert.True(current.Succeeded);
        Assert.Contains("Workflow 'onboarding-u6' (OnboardingWorkflow): history recorded ActivityScheduled 'Send' at event", error.Message, StringComparison.Ordinal);
        Assert.Contains("the code now did ScheduleActivity 'SendSms'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Workflow.Patched", error.Message, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>The onboarding after a change that is not replay-safe: an SMS before the nudge email, without Workflow.Patched.</summary>
[Workflow("OnboardingWorkflow")]
public sealed class OnboardingWithSms
{
    private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromMinutes(1) };
    private bool profileCompleted;

    [WorkflowSignal("profile-completed")]
    public void ProfileCompleted() => profileCompleted = true;

    [WorkflowRun]
    public async Task<string> RunAsync(NewUser user)
    {
        await Workflow.ExecuteActivityAsync((EmailActivities e) => e.SendAsync(user.Email, "welcome"), Options);
        if (await Workflow.WaitConditionAsync(() => profileCompleted, TimeSpan.FromDays(7)))
        {
            return "completed within a week";
        }

        await Workflow.ExecuteActivityAsync((SmsActivities s) => s.SendSmsAsync(user.UserId, "nudge"), Options);
        await Workflow.ExecuteActivityAsync((EmailActivities e) => e.SendAsync(user.Email, "nudge"), Options);
        return await Workflow.WaitConditionAsync(() => profileCompleted, TimeSpan.FromDays(23)) ? "completed after a nudge" : "win-back offer sent";
    }
}

public sealed class SmsActivities
{
    [Activity]
    public Task SendSmsAsync(string userId, string template) => Task.CompletedTask;
}
