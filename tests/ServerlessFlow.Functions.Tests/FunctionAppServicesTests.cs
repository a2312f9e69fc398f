using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.DeadLetters;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.Hosting.Messaging;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Functions.Tests;

/// <summary>
/// The Function App's services composed as Program.cs composes them (<see cref="FunctionAppServices.AddFunctionApp"/>),
/// with the app settings a deployment gives: everything the functions need resolves, so a registration mistake fails here.
/// </summary>
public sealed class FunctionAppServicesTests
{
    private static readonly Dictionary<string, string?> DeployedSettings = new()
    {
        // The shape infra/main.bicep gives: an identity-based connection and the trigger-bound queue names.
        [$"{HostingSettingNames.StorageConnection}:{HostingSettingNames.TableServiceUri}"] = "https://account.table.core.windows.net",
        [$"{HostingSettingNames.StorageConnection}:{HostingSettingNames.QueueServiceUri}"] = "https://account.queue.core.windows.net",
        [$"{HostingSettingNames.StorageConnection}:{HostingSettingNames.Credential}"] = "managedidentity",
        [$"{HostingSettingNames.StorageConnection}:{HostingSettingNames.ClientId}"] = "00000000-0000-0000-0000-000000000001",
        [HostingSettingNames.WorkflowQueue] = "sf-wf-default",
        [HostingSettingNames.ActivityQueue] = "sf-act-default",
    };

    [Fact]
    public async Task AddFunctionApp_DeployedSettings_ResolvesEveryServiceTheFunctionsUse()
    {
        await using var services = Compose();

        Assert.NotNull(services.GetRequiredService<IWorkflowClient>());
        Assert.NotNull(services.GetRequiredService<IScheduleClient>());
        Assert.IsType<AzureDeadLetterStore>(services.GetRequiredService<IDeadLetterStore>());
        Assert.NotNull(services.GetRequiredService<TriggeredMessageHandler>());
        Assert.NotNull(services.GetRequiredService<Housekeeping>());
    }

    [Fact]
    public async Task AddFunctionApp_EveryFunctionClass_IsCreatedFromTheServices()
    {
        await using var services = Compose();
        var functionClasses = typeof(FunctionAppServices).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToList();

        Assert.NotEmpty(functionClasses);
        Assert.All(functionClasses, type => Assert.NotNull(ActivatorUtilities.CreateInstance(services, type)));
    }

    [Fact]
    public async Task AddFunctionApp_HttpApiOptions_DeclareThatTheFunctionsHostRebuildsRequestTargets()
    {
        // Without it, an ID sent as a%2Fb would be read as "a%2Fb" behind the Functions host.
        await using var services = Compose();

        Assert.True(services.GetRequiredService<HttpApiOptions>().RequestTargetRebuiltByProxy);
    }

    [Fact]
    public async Task AddFunctionApp_HostedServices_CreateTheEngineStorageButRunNoPollingWorker()
    {
        // Queue triggers poll on Functions; a polling worker as well would compete with them for every message.
        await using var services = Compose();

        var hosted = services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
        Assert.Contains("StorageInitializationService", hosted);
        Assert.DoesNotContain("PollingWorkerService", hosted);
    }

    [Fact]
    public void AddFunctionApp_NoStorageConnection_FailsNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddFunctionApp(configuration));

        Assert.Contains(HostingSettingNames.StorageConnection, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Compose()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(DeployedSettings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddFunctionApp(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
