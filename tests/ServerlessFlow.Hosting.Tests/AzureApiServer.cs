using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.Samples;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// The HTTP API on a real Kestrel server on a free loopback port, configured like the dev server: the Azure
/// backend on the shared Azurite (through the ServerlessFlowStorage setting), under a storage prefix of its
/// own, with a polling worker serving "default". One per test, so that dead letters of one test never show in another's list.
/// </summary>
internal sealed class AzureApiServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private AzureApiServer(WebApplication app, HttpClient client, AzureStorageBackend backend, string connectionString)
    {
        this.app = app;
        Client = client;
        Backend = backend;
        ConnectionString = connectionString;
    }

    /// <summary>The storage prefix of the server's tables and queues.</summary>
    public string Prefix => Backend.Options.Prefix;

    public HttpClient Client { get; }

    public int Port => Client.BaseAddress!.Port;

    /// <summary>The backend the server runs on (the same instance its engine uses).</summary>
    public AzureStorageBackend Backend { get; }

    /// <summary>The storage account's connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts a server; <paramref name="settings"/> add to (or override) the default configuration, <paramref name="configure"/> registers more.</summary>
    public static async Task<AzureApiServer> StartAsync(
        AzuriteFixture azurite, IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<Engine.ServerlessFlowBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new(HostingSettingNames.StorageConnection, azurite.ConnectionString),
            new(HostingSettingNames.StoragePrefix, "h" + Guid.NewGuid().ToString("N")[..12]),
        ]).AddInMemoryCollection(settings ?? []).Build();
        builder.Services.AddServerlessFlowHosting(configuration, flow =>
        {
            flow.AddSamples();
            configure?.Invoke(flow);
        });
        builder.Services.AddServerlessFlowPollingWorker();
        var app = builder.Build();
        app.MapServerlessFlowApi();
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(90) };
        return new AzureApiServer(app, client, app.Services.GetRequiredService<AzureStorageBackend>(), azurite.ConnectionString);
    }

    /// <summary>Puts <paramref name="body"/> as is on the storage queue of logical queue <paramref name="logicalQueue"/>, as any other writer of that queue could.</summary>
    public async Task PutRawMessageAsync(string logicalQueue, string body)
    {
        var queue = new QueueClient(ConnectionString, Backend.PhysicalQueueName(logicalQueue), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One Azurite for every test of this assembly that needs storage.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
