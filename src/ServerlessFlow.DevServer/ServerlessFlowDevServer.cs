using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessFlow.Azurite;
using ServerlessFlow.Engine;
using ServerlessFlow.Hosting;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.DevServer;

/// <summary>
/// The dev server for your code: Azurite, the engine's worker and the HTTP API the Function App serves, in one
/// process, running the workflows you register. Call it from a console program of your own:
/// <code>return await ServerlessFlowDevServer.RunAsync(args, flow => flow.AddWorkflow&lt;OrderWorkflow&gt;().AddActivities&lt;OrderActivities&gt;());</code>
/// and start it with <c>dotnet run</c>. Azurite comes from your project's node_modules, a global install, or is
/// installed once into <c>.serverlessflow/azurite</c> in your project; its data stays in <c>.serverlessflow/data</c>.
/// </summary>
public static class ServerlessFlowDevServer
{
    /// <summary>Runs until Ctrl-C (or SIGTERM), then stops the Azurite it started.</summary>
    /// <param name="args">The command line: the dev server's options (<c>--help</c> lists them) and ASP.NET Core's (<c>--urls</c>).</param>
    /// <param name="configure">Registers workflows and activities, as in <c>AddServerlessFlowHosting</c>.</param>
    /// <param name="settings">The project folder, the data folder, the banner's example; defaults when null.</param>
    /// <returns>The exit code: 0 after a clean stop, 1 when it could not start, 2 for a bad command line.</returns>
    public static async Task<int> RunAsync(string[] args, Action<ServerlessFlowBuilder> configure, DevServerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configure);
        settings ??= new DevServerSettings();
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
            var builder = WebApplication.CreateBuilder([.. options.HostArguments]);
            if (DevServerOptions.NonLoopbackProblem(builder.Configuration[WebHostDefaults.ServerUrlsKey]) is { } notLoopback)
            {
                await Console.Error.WriteLineAsync(notLoopback);
                return 2;
            }

            if (options.StorageConnectionString is null)
            {
                azurite = await StartAzuriteAsync(options, settings, logger);
            }

            await using var app = Build(builder, options, settings, configure, options.StorageConnectionString ?? azurite!.ConnectionString);
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var storage = azurite is null
                    ? "the storage given by --storage-connection-string"
                    : $"Azurite (PID {azurite.Pid}) on 127.0.0.1 ports {azurite.BlobPort}, {azurite.QueuePort}, {azurite.TablePort}, {(azurite.DataFolder is null ? "in memory" : "data in " + azurite.DataFolder)}";
                var taskQueues = string.Join(", ", app.Services.GetRequiredService<WorkerOptions>().TaskQueues);
                Console.WriteLine(Banner.Build(app.Urls.FirstOrDefault() ?? DevServerOptions.DefaultUrl, storage, taskQueues, settings.Example));
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
    }

    private static async Task<AzuriteProcess> StartAzuriteAsync(DevServerOptions options, DevServerSettings settings, ILogger logger)
    {
        var projectFolder = Path.GetFullPath(settings.ProjectFolder ?? ProjectFolders.Find());
        var dataFolder = options.InMemory
            ? null
            : options.DataFolder ?? settings.DataFolder ?? Path.Combine(projectFolder, AzuriteInstallation.ProjectStateFolder, "data");
        var azuriteOptions = new AzuriteOptions
        {
            EntryPoint = await AzuriteInstallation.FindOrInstallAsync(projectFolder, logger),
            DataFolder = dataFolder,
            PreferDefaultPorts = true,
        };
        return await AzuriteProcess.StartAsync(azuriteOptions, logger);
    }

    private static WebApplication Build(
        WebApplicationBuilder builder, DevServerOptions options, DevServerSettings settings, Action<ServerlessFlowBuilder> configure, string connectionString)
    {
        // Quiet per-request logging by default; lowest priority, so appsettings or Logging__LogLevel__* still win.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")],
        });
        var overrides = new Dictionary<string, string?> { [HostingSettingNames.StorageConnection] = connectionString };
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

        builder.Services.AddServerlessFlowHosting(builder.Configuration, configure);
        builder.Services.AddServerlessFlowPollingWorker();
        DevServerTelemetry.Configure(builder, options);
        settings.ConfigureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapServerlessFlowApi();
        app.MapServerlessFlowWebUi();
        app.MapGet("/", () => Results.Redirect(ServerlessFlow.Hosting.WebUi.WebUiEndpoints.PagePath));
        return app;
    }
}
