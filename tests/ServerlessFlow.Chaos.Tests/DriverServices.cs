using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Chaos.Worker;
using ServerlessFlow.Engine;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>The driver's side of the engine: an un-faulted client over the same storage as the workers (no worker runs in the test process).</summary>
internal sealed class DriverServices : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    public DriverServices(string connectionString, string prefix)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddServerlessFlow(flow => flow
            .UseAzureStorage(new AzureStorageOptions { ConnectionString = connectionString, Prefix = prefix })
            .AddChaosWorkflows());
        provider = services.BuildServiceProvider();
    }

    public IWorkflowClient Client => provider.GetRequiredService<IWorkflowClient>();

    public IScheduleClient Schedules => provider.GetRequiredService<IScheduleClient>();

    public AzureStorageBackend Backend => provider.GetRequiredService<AzureStorageBackend>();

    /// <summary>Creates the tables (the workers would, but the driver starts workflows as soon as they poll).</summary>
    public async Task InitializeAsync()
    {
        await Backend.Store.InitializeAsync(CancellationToken.None);
        await Backend.Visibility.InitializeAsync(CancellationToken.None);
        await Backend.Schedules.InitializeAsync(CancellationToken.None);
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
