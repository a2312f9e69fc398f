using Azure.Core;
using Azure.Core.Pipeline;
using ServerlessFlow.Engine.Diagnostics;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Records every storage request (each HTTP attempt, retries included) on the <c>serverlessflow.storage.requests</c>
/// counter, by the kind <see cref="RequestCounter"/> names it. In every client the backend makes; free while no meter listener is attached.
/// </summary>
internal sealed class StorageRequestMetrics : HttpPipelinePolicy
{
    /// <summary>The one instance: the policy holds no state.</summary>
    public static StorageRequestMetrics Instance { get; } = new();

    /// <inheritdoc />
    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    private static void Record(HttpMessage message)
    {
        if (ServerlessFlowTelemetry.StorageRequests.Enabled)
        {
            ServerlessFlowTelemetry.StorageRequests.Add(1, new KeyValuePair<string, object?>(TagNames.StorageKind, RequestCounter.Kind(message)));
        }
    }
}
