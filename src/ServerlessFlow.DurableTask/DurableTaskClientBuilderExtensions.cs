using Microsoft.DurableTask.Client;

namespace ServerlessFlow.DurableTask;

/// <summary>Registers ServerlessFlow as the backend of Microsoft.DurableTask.Client's <see cref="DurableTaskClient"/>.</summary>
public static class DurableTaskClientBuilderExtensions
{
    /// <summary>
    /// Builds the client as one backed by ServerlessFlow's <see cref="IWorkflowClient"/>, so code written against Durable
    /// Functions' client runs unchanged: <c>services.AddServerlessFlow(...).AddDurableTaskClient(b =&gt; b.UseServerlessFlow())</c>.
    /// Orchestration names are workflow type names; events are signals; payloads are ServerlessFlow's JSON (camelCase, read
    /// case-insensitively). Members ServerlessFlow cannot honour throw <see cref="NotSupportedException"/> naming the alternative.
    /// </summary>
    public static IDurableTaskClientBuilder UseServerlessFlow(this IDurableTaskClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseBuildTarget<ServerlessFlowDurableTaskClient>();
    }
}
