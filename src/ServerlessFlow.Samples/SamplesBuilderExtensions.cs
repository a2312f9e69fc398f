using ServerlessFlow.Engine;

namespace ServerlessFlow.Samples;

/// <summary>Registers the sample workflows and their activities.</summary>
public static class SamplesBuilderExtensions
{
    /// <summary>Adds <see cref="HelloSequence"/>, <see cref="OrderWorkflow"/>, <see cref="LoanApprovalWorkflow"/> and <see cref="OnboardingWorkflow"/> with their activities.</summary>
    public static ServerlessFlowBuilder AddSamples(this ServerlessFlowBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddGeneratedDefinitions(); // written by the source generator from this assembly's [Workflow] and [Activity] classes
    }
}
