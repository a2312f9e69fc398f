using ServerlessFlow.Engine;

namespace ServerlessFlow.Samples;

/// <summary>Registers the sample workflows and their activities.</summary>
public static class SamplesBuilderExtensions
{
    /// <summary>Adds <see cref="HelloSequence"/>, <see cref="HelloFanOut"/>, <see cref="OrderWorkflow"/>, <see cref="LoanApprovalWorkflow"/> and <see cref="OnboardingWorkflow"/> with their activities.</summary>
    public static ServerlessFlowBuilder AddSamples(this ServerlessFlowBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddWorkflow<HelloSequence>().AddWorkflow<HelloFanOut>().AddActivities<HelloActivities>()
            .AddWorkflow<OrderWorkflow>().AddActivities<OrderActivities>()
            .AddWorkflow<LoanApprovalWorkflow>().AddActivities<LoanActivities>()
            .AddWorkflow<OnboardingWorkflow>().AddActivities<EmailActivities>();
    }
}
