using Microsoft.Extensions.Configuration.Memory;
using ServerlessFlow.Azurite;
using ServerlessFlow.DevServer;
using ServerlessFlow.Engine;
using ServerlessFlow.Hosting;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.Samples;

DevServerOptions options;
try
{
    options = DevServerOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Environment.NewLine + DevServerOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(DevServerOptions.Usage);
    return 0;
}

using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
var logger = loggerFactory.CreateLogger("ServerlessFlow.DevServer");
AzuriteProcess? azurite = null;
try
{
    if (options.StorageConnectionString is null)
    {
        var azuriteOptions = new AzuriteOptions
        {
            DataFolder = options.InMemory ? null : Path.Combine(AzuriteLocator.FindRepositoryRoot(), ".data", "azurite"),
            PreferDefaultPorts = true,
        };
        azurite = await AzuriteProcess.StartAsync(azuriteOptions, logger);
    }

    var builder = WebApplication.CreateBuilder([.. options.HostArguments]);

    // Quiet per-request logging by default; lowest priority, so appsettings or Logging__LogLevel__* still win.
    builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
    {
        InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")],
    });
    var overrides = new Dictionary<string, string?>
    {
        [HostingSettingNames.StorageConnection] = options.StorageConnectionString ?? azurite!.ConnectionString,
    };
    if (options.Prefix is not null)
    {
        overrides[HostingSettingNames.StoragePrefix] = options.Prefix;
    }

    if (options.TaskQueues is not null)
    {
        overrides[HostingSettingNames.TaskQueues] = options.TaskQueues;
    }

    builder.Configuration.AddInMemoryCollection(overrides);
    if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
    {
        builder.WebHost.UseUrls(DevServerOptions.DefaultUrl);
    }

    builder.Services.AddServerlessFlowHosting(builder.Configuration, flow => flow.AddSamples());
    builder.Services.AddServerlessFlowPollingWorker();

    await using var app = builder.Build();
    app.MapServerlessFlowApi();
    app.MapServerlessFlowWebUi();
    app.MapGet("/", () => Results.Redirect(ServerlessFlow.Hosting.WebUi.WebUiEndpoints.PagePath));
    app.Lifetime.ApplicationStarted.Register(() =>
    {
        var storage = azurite is null
            ? "the storage given by --storage-connection-string"
            : $"Azurite (PID {azurite.Pid}) on 127.0.0.1 ports {azurite.BlobPort}, {azurite.QueuePort}, {azurite.TablePort}, {(azurite.DataFolder is null ? "in memory" : "data in " + azurite.DataFolder)}";
        var taskQueues = string.Join(", ", app.Services.GetRequiredService<WorkerOptions>().TaskQueues);
        Console.WriteLine(Banner.Build(app.Urls.FirstOrDefault() ?? DevServerOptions.DefaultUrl, storage, taskQueues));
    });
    await app.RunAsync();
    return 0;
}
catch (FileNotFoundException e) when (azurite is null && options.StorageConnectionString is null)
{
    Log.StartFailed(logger, e.Message + " Or pass --storage-connection-string to use other storage.");
    return 1;
}
catch (Exception e) when (e is InvalidOperationException or IOException)
{
    Log.StartFailed(logger, e.Message);
    return 1;
}
finally
{
    if (azurite is not null)
    {
        await azurite.DisposeAsync();
    }
}
