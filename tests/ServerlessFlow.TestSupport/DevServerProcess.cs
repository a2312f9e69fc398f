using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

using Xunit;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// The dev server as a real process on a free loopback port, on storage the test fixture owns (so that
/// killing the dev server with SIGKILL orphans nothing). Its output is kept for failure messages. Shared by the
/// end-to-end, CLI and web UI tests.
/// </summary>
public sealed class DevServerProcess : IAsyncDisposable
{
    /// <summary>How long a fresh dev server may take to answer: a cold .NET start plus table creation on a loaded machine.</summary>
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);

    private static readonly string DevServerPath = typeof(DevServerProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DevServerPath").Value!;

    private readonly Process process;
    private readonly StringBuilder output = new();

    private DevServerProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(90) };
    }

    public HttpClient Client { get; }

    /// <summary>The dev server's process ID.</summary>
    public int Pid => process.Id;

    /// <summary>The API's base URL, e.g. <c>http://127.0.0.1:5123/api</c>.</summary>
    public Uri ApiAddress => new(Client.BaseAddress!, "/api");

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts a dev server on the fixture's storage and waits until its HTTP API answers.</summary>
    public static Task<DevServerProcess> StartAsync(string connectionString, string prefix, string? executionLog = null) =>
        StartAsync(["--storage-connection-string", connectionString, "--prefix", prefix], executionLog);

    /// <summary>Starts a dev server with <paramref name="arguments"/> (and <c>--urls</c> on a free port) and waits until its HTTP API answers.</summary>
    public static async Task<DevServerProcess> StartAsync(IEnumerable<string> arguments, string? executionLog = null)
    {
        var server = Launch(arguments, executionLog);
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Launches a dev server with <paramref name="arguments"/> (and <c>--urls</c> on a free port unless they give one), without waiting for it.</summary>
    public static DevServerProcess Launch(IEnumerable<string> arguments, string? executionLog = null)
    {
        Assert.True(File.Exists(DevServerPath), $"The dev server is not built at {DevServerPath}.");
        var given = arguments.ToList();
        var url = given.Contains("--urls") ? given[given.IndexOf("--urls") + 1] : $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { DevServerPath }.Concat(given.Contains("--urls") ? given : ["--urls", url, .. given]))
        {
            start.ArgumentList.Add(argument);
        }

        if (executionLog is not null)
        {
            start.Environment["Samples__ExecutionLog"] = executionLog;
        }

        // Given URLs may be several, or wildcards: the client then talks to the first only when it is one plain address.
        var address = Uri.TryCreate(url, UriKind.Absolute, out var first) ? first : new Uri("http://127.0.0.1:1");
        var server = new DevServerProcess(Process.Start(start)!, address);
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits (with a deadline) for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        process.WaitForExit(); // Drains the output, so Output is complete.
        return process.ExitCode;
    }

    /// <summary>kill -9: no shutdown code runs, messages in flight stay invisible until their lease ends.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTimeOffset.UtcNow + ReadyDeadline;
        while (true)
        {
            Assert.False(process.HasExited, $"The dev server exited with code {(process.HasExited ? process.ExitCode : 0)}:\n{Output}");
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
                // Not listening yet.
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The dev server did not answer within {ReadyDeadline.TotalSeconds} s:\n{Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
