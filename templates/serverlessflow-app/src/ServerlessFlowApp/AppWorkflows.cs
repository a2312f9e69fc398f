using ServerlessFlow.Engine;

namespace ServerlessFlowApp;

/// <summary>Registers this app's workflows and activities: the Function App, the dev server and the tests call it.</summary>
public static class AppWorkflows
{
    /// <summary>Adds every workflow and activity class of the app.</summary>
    public static ServerlessFlowBuilder AddAppWorkflows(this ServerlessFlowBuilder flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return flow
            .AddWorkflow<OrderWorkflow>()
            .AddActivities<OrderActivities>();
    }
}
