using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessFlow.Azurite;
using Xunit.Abstractions;

namespace ServerlessFlow.Template.Tests;

/// <summary>
/// What a user does, end to end: install the template from the packed packages, create Contoso.Orders, build it,
/// test it, run its dev server and its example workflow over HTTP. Nothing refers back into this repository but the
/// packages' folder and, as a user's own npm install would, an Azurite in a node_modules above the project (the
/// repository's, linked): installing a fresh one takes minutes on a loaded machine (AzuriteInstallationTests covers the search).
/// </summary>
public sealed partial class TemplateEndToEndTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Restoring the Functions packages and building three projects on a loaded 2-core machine.</summary>
    private static readonly TimeSpan BuildDeadline = TimeSpan.FromMinutes(10);

    /// <summary>A pack of every package without building again, dotnet new, a test run.</summary>
    private static readonly TimeSpan StepDeadline = TimeSpan.FromMinutes(4);

    /// <summary>A cold .NET start and Azurite's start on a loaded machine.</summary>
    private static readonly TimeSpan DevServerReadyDeadline = TimeSpan.FromMinutes(2);

    /// <summary>The example workflow runs five no-op activities.</summary>
    private static readonly TimeSpan WorkflowDeadline = TimeSpan.FromMinutes(1);

    private static readonly string Configuration = typeof(TemplateEndToEndTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    private readonly string root = Directory.CreateTempSubdirectory("sf-template-").FullName;

    /// <summary>A version no earlier run used, so that NuGet's global cache cannot hand back packages of another build.</summary>
    private readonly string version = $"0.2.0-test.{Guid.NewGuid():N}";

    private readonly Dictionary<string, string> environment = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    [Fact]
    public async Task NewServerlessFlowApp_FromPackedPackages_BuildsPassesItsTestsAndRunsItsWorkflowOnItsDevServer()
    {
        var packages = Path.Combine(root, "packages");
        var hive = Path.Combine(root, "hive");
        var repository = AzuriteLocator.FindRepositoryRoot();
        await Commands.RunAsync(repository, StepDeadline, environment,
            "pack", "ServerlessFlow.sln", "-c", Configuration, "--no-build", "--nologo", "-v", "quiet", "-o", packages, $"-p:PackageVersion={version}");
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="serverlessflow-packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);

        await Commands.RunAsync(root, StepDeadline, environment,
            "new", "install", Path.Combine(packages, $"ServerlessFlow.Templates.{version}.nupkg"), "--debug:custom-hive", hive);
        await Commands.RunAsync(root, StepDeadline, environment,
            "new", "serverlessflow-app", "-n", "Contoso.Orders", "-o", "Contoso.Orders", "--debug:custom-hive", hive);
        var app = Path.Combine(root, "Contoso.Orders");
        Assert.Contains($"<ServerlessFlowVersion>{version}</ServerlessFlowVersion>", File.ReadAllText(Path.Combine(app, "Directory.Packages.props")), StringComparison.Ordinal);
        Assert.Contains("namespace Contoso.Orders.Functions;", File.ReadAllText(Path.Combine(app, "src", "Contoso.Orders", "Functions", "WorkflowHttpFunctions.cs")), StringComparison.Ordinal);
        Assert.Contains("namespace Contoso.Orders.Functions;", File.ReadAllText(Path.Combine(app, "src", "Contoso.Orders", "Functions", "FunctionAppTelemetry.cs")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(app, "infra", "main.bicep")));

        await Commands.RunAsync(app, BuildDeadline, environment, "build", "-c", "Release", "--nologo", "-v", "quiet");
        var tests = await Commands.RunAsync(app, StepDeadline, environment, "test", "-c", "Release", "--no-build", "--nologo");
        Assert.Matches(@"Passed:\s+4", tests);

        LinkRepositoryAzurite(repository);
        await using var server = await AppDevServer.StartAsync(app, environment, DevServerReadyDeadline, output);
        var closed = await RunOrderAsync(server.Client);
        Assert.Equal("Completed", closed.GetProperty("status").GetString());
        var result = closed.GetProperty("result");
        Assert.Equal("shipped", result.GetProperty("status").GetString());
        Assert.Equal("TRACK-order-1", result.GetProperty("trackingNumber").GetString());
        Assert.True(Directory.Exists(Path.Combine(app, "src", "Contoso.Orders.DevServer", AzuriteInstallation.ProjectStateFolder, "data")));

        var azuritePid = server.AzuritePid;
        Assert.Equal(0, await server.StopAsync());
        Assert.False(IsRunning(azuritePid), $"The dev server stopped but left its Azurite (PID {azuritePid}) running.");
    }

    public void Dispose()
    {
        // The link first, by itself: the shared node_modules it points to is never to be touched.
        var link = LinkedAzurite;
        if (File.Exists(link) || Directory.Exists(link))
        {
            File.Delete(link);
        }

        Directory.Delete(root, recursive: true);

        // The unique version is of no use to anything after this test: leave NuGet's global folder as it was.
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                             ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var package in Directory.Exists(globalPackages) ? Directory.EnumerateDirectories(globalPackages, "serverlessflow*") : [])
        {
            var extracted = Path.Combine(package, version);
            if (Directory.Exists(extracted))
            {
                Directory.Delete(extracted, recursive: true);
            }
        }
    }

    private string LinkedAzurite => Path.Combine(root, "node_modules", "azurite");

    /// <summary>An Azurite in a node_modules above the project, where the dev server looks first (as after `npm install azurite` there).</summary>
    private void LinkRepositoryAzurite(string repository)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LinkedAzurite)!);
        File.CreateSymbolicLink(LinkedAzurite, Path.Combine(repository, "node_modules", "azurite"));
    }

    private static async Task<JsonElement> RunOrderAsync(HttpClient client)
    {
        using var start = await client.PostAsJsonAsync(
            "/api/workflows/OrderWorkflow?id=order-1", new { orderId = "order-1", item = "book", quantity = 1, amount = 12.5m });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var deadline = DateTimeOffset.UtcNow + WorkflowDeadline;
        while (true)
        {
            using var response = await client.GetAsync("/api/workflows/order-1/result?wait=10");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.True(DateTimeOffset.UtcNow < deadline, $"order-1 did not close within {WorkflowDeadline}.");
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The generated app's dev server, started the way its README says: <c>dotnet run --project src/Contoso.Orders.DevServer</c>.</summary>
    private sealed partial class AppDevServer : IAsyncDisposable
    {
        /// <summary>How long a stop may take: the host's shutdown plus Azurite's SIGTERM grace.</summary>
        private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

        private readonly Process process;
        private readonly StringBuilder log = new();

        private AppDevServer(Process process, Uri baseAddress)
        {
            this.process = process;
            Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        }

        public HttpClient Client { get; }

        /// <summary>The PID of the Azurite the dev server started, as its log says.</summary>
        public int AzuritePid => int.Parse(AzuriteStarted().Match(Commands.Text(log)).Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);

        public static async Task<AppDevServer> StartAsync(string app, IReadOnlyDictionary<string, string> environment, TimeSpan deadline, ITestOutputHelper output)
        {
            var url = new Uri($"http://127.0.0.1:{FreePort()}");
            var start = Commands.StartInfo(app, environment,
                ["run", "-c", "Release", "--no-build", "--project", Path.Combine("src", "Contoso.Orders.DevServer"), "--", "--urls", url.ToString()]);
            var server = new AppDevServer(Process.Start(start)!, url);
            server.process.OutputDataReceived += (_, e) => Commands.Append(server.log, e.Data);
            server.process.ErrorDataReceived += (_, e) => Commands.Append(server.log, e.Data);
            server.process.BeginOutputReadLine();
            server.process.BeginErrorReadLine();
            try
            {
                await server.WaitUntilReadyAsync(deadline);
            }
            catch
            {
                output.WriteLine(Commands.Text(server.log));
                await server.DisposeAsync();
                throw;
            }

            return server;
        }

        /// <summary>Ctrl-C's equivalent, SIGTERM, then waits for the exit code.</summary>
        public async Task<int> StopAsync()
        {
            PosixSignals.Terminate(process);
            using var timeout = new CancellationTokenSource(StopDeadline);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!process.HasExited)
            {
                // A failed test: the tree holds the app under `dotnet run`, and the app's Azurite.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        [GeneratedRegex(@"Azurite started: PID (?<pid>\d+)")]
        private static partial Regex AzuriteStarted();

        private async Task WaitUntilReadyAsync(TimeSpan deadline)
        {
            var until = DateTimeOffset.UtcNow + deadline;
            while (true)
            {
                Assert.False(process.HasExited, $"The dev server exited with code {(process.HasExited ? process.ExitCode : 0)}:\n{Commands.Text(log)}");
                try
                {
                    using var response = await Client.GetAsync("/api/workflows?pageSize=1");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet: Azurite is being installed or started.
                }

                Assert.True(DateTimeOffset.UtcNow < until, $"The dev server did not answer within {deadline}:\n{Commands.Text(log)}");
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }
}
