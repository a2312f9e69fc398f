using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine;

namespace ServerlessFlow.AzureStorage;

/// <summary>Selects Azure Tables + Queues as the backend.</summary>
public static class AzureStorageBuilderExtensions
{
    /// <summary>
    /// Uses Azure Storage (or Azurite) for workflow state and task queues. The backend is created once
    /// and also registered as <see cref="AzureStorageBackend"/> (for dead letters and queue names).
    /// </summary>
    public static ServerlessFlowBuilder UseAzureStorage(this ServerlessFlowBuilder builder, AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var backend = AzureStorageBackend.Create(options);
        builder.Services.AddSingleton(backend);
        return builder.UseBackend(_ => backend.Store, _ => backend.Queues, _ => backend.Visibility, _ => backend.Schedules);
    }
}
