namespace ServerlessFlow.Samples;

/// <summary>A new user to onboard.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Email">Where to write.</param>
public sealed record NewUser(string UserId, string Email);

/// <summary>
/// The 30-day onboarding of the articles: a welcome email; if the profile is still incomplete after
/// 7 days, a nudge; if it is still incomplete 23 days later, a win-back offer. The user's app sends the
/// <c>profile-completed</c> signal; the <c>stage</c> query says where the user is. Activities are called through the
/// stubs the source generator writes (<see cref="EmailActivitiesCalls"/>): checked by the compiler, no lambda read at run time.
/// </summary>
[Workflow]
public sealed class OnboardingWorkflow
{
    private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromMinutes(1) };
    private bool profileCompleted;

    /// <summary>Where onboarding is: "welcomed", "nudged", "offered" or "completed".</summary>
    [WorkflowQuery("stage")]
    public string Stage { get; private set; } = "starting";

    /// <summary>The user finished their profile.</summary>
    [WorkflowSignal("profile-completed")]
    public void ProfileCompleted() => profileCompleted = true;

    /// <summary>Runs the onboarding.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync(NewUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        await EmailActivitiesCalls.SendAsync(user.Email, "welcome", Options);
        Stage = "welcomed";
        if (await Workflow.WaitConditionAsync(() => profileCompleted, TimeSpan.FromDays(7)))
        {
            Stage = "completed";
            return "completed within a week";
        }

        await EmailActivitiesCalls.SendAsync(user.Email, "nudge", Options);
        Stage = "nudged";
        if (await Workflow.WaitConditionAsync(() => profileCompleted, TimeSpan.FromDays(23)))
        {
            Stage = "completed";
            return "completed after a nudge";
        }

        await EmailActivitiesCalls.SendAsync(user.Email, "win-back offer", Options);
        Stage = "offered";
        return "win-back offer sent";
    }
}

/// <summary>Email activities (a stand-in for an email provider).</summary>
public sealed class EmailActivities
{
    /// <summary>Sends a templated email; returns what was sent.</summary>
    [Activity]
    public Task<string> SendAsync(string email, string template) => Task.FromResult($"{template} -> {email}");
}
