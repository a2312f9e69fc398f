using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>Backends on the shared Azurite, each with its own table and queue names.</summary>
internal static class TestBackends
{
    /// <summary>A prefix no other test uses: "t" and 12 hex digits.</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Options for a fresh, isolated backend; retries are quick so fault tests stay fast.</summary>
    public static AzureStorageOptions Options(AzuriteFixture azurite, params HttpPipelinePolicy[] policies) => new()
    {
        ConnectionString = azurite.ConnectionString,
        Prefix = UniquePrefix(),
        Policies = policies,
        RetryDelay = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>A fresh backend with its tables created.</summary>
    public static async Task<AzureStorageBackend> CreateAsync(AzuriteFixture azurite, params HttpPipelinePolicy[] policies)
    {
        var backend = AzureStorageBackend.Create(Options(azurite, policies));
        await backend.Store.InitializeAsync(CancellationToken.None);
        return backend;
    }

    /// <summary>An engine's services on <paramref name="backend"/>, with what <paramref name="register"/> adds (workflows, activities, worker settings).</summary>
    public static ServiceProvider Engine(AzureStorageBackend backend, Action<ServerlessFlowBuilder> register)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddServerlessFlow(flow => register(flow.UseBackend(_ => backend.Store, _ => backend.Queues, _ => backend.Visibility, _ => backend.Schedules)));
        return services.BuildServiceProvider();
    }
}
