using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.DeadLetters;
using ServerlessFlow.Hosting.Messaging;
using ServerlessFlow.Hosting.Worker;

namespace ServerlessFlow.Hosting;

/// <summary>The one registration every host uses: the dev server and the Function App call the same method.</summary>
public static class HostingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine configured from <paramref name="configuration"/> (see <see cref="HostingSettingNames"/>):
    /// the task queues served and the worker's concurrency limits, the Azure Storage backend with its prefix and
    /// connection, the dead letters the HTTP API lists and replays, and the entry points of triggered hosts
    /// (<see cref="TriggeredMessageHandler"/>, <see cref="Housekeeping"/>). The HTTP API needs nothing more.
    /// <paramref name="configure"/> runs last: it registers workflows and activities, and may replace the
    /// backend (tests use the in-memory one).
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is invalid, or no backend is configured.</exception>
    public static IServiceCollection AddServerlessFlowHosting(this IServiceCollection services, IConfiguration configuration, Action<ServerlessFlowBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = HostingSettings.Read(configuration);
        services.AddServerlessFlow(builder =>
        {
            builder.ConfigureWorker(settings.ApplyTo);
            if (settings.Storage is { } storage)
            {
                builder.UseAzureStorage(storage);
            }

            configure?.Invoke(builder);
        });

        if (!services.Any(d => d.ServiceType == typeof(IWorkflowStore)))
        {
            var name = HostingSettingNames.StorageConnection;
            throw new InvalidOperationException(
                $"No workflow storage is configured. Set '{name}' to a storage connection string, or set {name}__tableServiceUri and " +
                $"{name}__queueServiceUri (with {name}__credential=managedidentity and {name}__clientId for a managed identity).");
        }

        services.AddSingleton(settings.Bindings);

        // Dead letters are readable when the engine runs on the Azure backend (not when configure replaced it).
        services.AddSingleton<IDeadLetterStore>(sp =>
            sp.GetService<AzureStorageBackend>() is { } azure && ReferenceEquals(sp.GetService<ITaskQueues>(), azure.Queues)
                ? new AzureDeadLetterStore(azure.DeadLetters)
                : UnavailableDeadLetterStore.Instance);
        services.AddSingleton(sp => new TriggeredMessageHandler(
            sp.GetRequiredService<ITaskHandler>(), sp.GetRequiredService<ITaskQueues>(), sp.GetRequiredService<TaskQueueBindings>(),
            sp.GetRequiredService<ILogger<TriggeredMessageHandler>>()));
        services.AddSingleton(sp => new Housekeeping(sp.GetRequiredService<HousekeepingPass>(), sp.GetRequiredService<ILogger<Housekeeping>>()));
        return services;
    }

    /// <summary>
    /// Runs the engine's polling worker as a hosted service: for hosts that own their loop (the dev server,
    /// a self-hosted ASP.NET Core app). Not for Azure Functions, whose queue triggers do the polling.
    /// </summary>
    public static IServiceCollection AddServerlessFlowPollingWorker(this IServiceCollection services)
    {
        services.AddHostedService<PollingWorkerService>();
        return services;
    }

    /// <summary>
    /// Creates the engine's tables and the trigger-bound queues at start-up: for triggered hosts (the
    /// Function App), which run no polling worker. Deployments create them up front; this covers local runs.
    /// </summary>
    public static IServiceCollection AddServerlessFlowStorageInitialization(this IServiceCollection services)
    {
        services.AddHostedService<StorageInitializationService>();
        return services;
    }
}
