using ServerlessFlow.Chaos.Worker.Workflows;
using ServerlessFlow.Engine;

namespace ServerlessFlow.Chaos.Worker;

/// <summary>Registers the chaos workflows and their activities: the workers to run them, the driver's client to start, signal and update them.</summary>
public static class ChaosWorkflowsBuilderExtensions
{
    /// <summary>Adds every chaos workflow and <see cref="ChaosActivities"/>.</summary>
    public static ServerlessFlowBuilder AddChaosWorkflows(this ServerlessFlowBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddWorkflow<ChaosSequence>()
            .AddWorkflow<ChaosFanOut>()
            .AddWorkflow<ChaosTimers>()
            .AddWorkflow<ChaosSignals>()
            .AddWorkflow<ChaosUpdates>()
            .AddWorkflow<ChaosParent>()
            .AddWorkflow<ChaosSleeper>()
            .AddWorkflow<ChaosContinue>()
            .AddWorkflow<ChaosDoubler>()
            .AddWorkflow<ChaosCancellable>()
            .AddActivities<ChaosActivities>();
    }
}
