using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// The HTTP API on a real Kestrel server on a free loopback port, with the in-memory backend, the samples and
/// <see cref="ProbeWorkflow"/>, and a polling worker serving the "default" task queue. Workflows started on
/// <see cref="IdleTaskQueue"/> stay Running: no worker serves it. The search attributes the tests filter on are registered:
/// <see cref="CustomerId"/> (Keyword), <see cref="Amount"/> (Int) and <see cref="DueAt"/> (Datetime).
/// </summary>
public sealed class ApiServer : IAsyncLifetime
{
    /// <summary>A task queue no worker serves, for workflows that must stay open.</summary>
    public const string IdleTaskQueue = "idle";

    /// <summary>A registered Keyword search attribute.</summary>
    public const string CustomerId = "CustomerId";

    /// <summary>A registered Int search attribute.</summary>
    public const string Amount = "Amount";

    /// <summary>A registered Datetime search attribute.</summary>
    public const string DueAt = "DueAt";

    private WebApplication? app;

    public HttpClient Client { get; private set; } = null!;

    public int Port => Client.BaseAddress!.Port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddServerlessFlowHosting(new ConfigurationBuilder().Build(), flow => flow
            .AddSamples()
            .AddWorkflow<ProbeWorkflow>()
            .AddSearchAttribute(CustomerId, SearchAttributeType.Keyword)
            .AddSearchAttribute(Amount, SearchAttributeType.Int)
            .AddSearchAttribute(DueAt, SearchAttributeType.Datetime)
            .UseInMemoryBackend());
        builder.Services.AddServerlessFlowPollingWorker();
        app = builder.Build();
        app.MapServerlessFlowApi();
        await app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(90) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiServerGroup : ICollectionFixture<ApiServer>
{
    public const string Name = "HTTP API";
}
