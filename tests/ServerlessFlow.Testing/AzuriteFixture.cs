using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace ServerlessFlow.Testing;

/// <summary>
/// Starts Azurite (from the repository's node_modules, installed by <c>npm ci</c>) on free loopback ports,
/// in memory, and stops it by its PID when disposed. Use one per test assembly (a collection fixture):
/// tests isolate themselves with unique table and queue names, not with separate emulators.
/// It never skips: when Azurite is not installed it fails and says how to install it.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account and key (public, emulator only).</summary>
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Longest wait for Azurite to listen: it is ready in 2–4 s, up to ~8 s on a loaded 2-core machine.</summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(20);

    /// <summary>How long Azurite gets to exit after SIGTERM before it is killed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly OutputTail output = new();
    private Process? process;

    /// <summary>The blob port.</summary>
    public int BlobPort { get; private set; }

    /// <summary>The queue port.</summary>
    public int QueuePort { get; private set; }

    /// <summary>The table port.</summary>
    public int TablePort { get; private set; }

    /// <summary>A connection string to this Azurite's blob, queue and table endpoints.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>Starts Azurite and waits until its ports accept connections.</summary>
    public async Task InitializeAsync()
    {
        var root = FindRepositoryRoot();
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: '{script}' does not exist. Run `npm ci` in '{root}' (or ./build.sh test), then run the tests again.");
        }

        (BlobPort, QueuePort, TablePort) = FreePorts();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            script, "--inMemoryPersistence", "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Port(BlobPort), "--queuePort", Port(QueuePort), "--tablePort", Port(TablePort),
        })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node to run Azurite.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Could not start `node` to run Azurite: install Node.js 20 or later and put it on PATH.", e);
        }

        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitForPortsAsync();
    }

    /// <summary>Stops Azurite: SIGTERM to its PID, then SIGKILL to the same PID if it has not exited in time.</summary>
    public async Task DisposeAsync()
    {
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                await TerminateAsync(process.Id);
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: false);
                    await process.WaitForExitAsync();
                }
            }
        }

        process = null;
    }

    private async Task WaitForPortsAsync()
    {
        var deadline = Stopwatch.StartNew();
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await AcceptsAsync(port))
            {
                if (process!.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening on port {port}. Output:\n{output}");
                }

                if (deadline.Elapsed > StartDeadline)
                {
                    throw new TimeoutException($"Azurite did not listen on port {port} within {StartDeadline.TotalSeconds} s. Output:\n{output}");
                }

                await Task.Delay(50); // Polling with a deadline: nothing signals readiness except the open port.
            }
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Three distinct free ports: bound together to port 0 so the OS cannot hand out one twice, then released.</summary>
    private static (int, int, int) FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            var ports = listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToList();
            return (ports[0], ports[1], ports[2]);
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }

    private static async Task TerminateAsync(int pid)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Process.GetProcessById(pid).Kill();
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Port(pid) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill to stop Azurite.");
        await kill.WaitForExitAsync();
    }

    private static string Port(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The directory with the solution file and package.json, searched upward from the test binaries.</summary>
    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ServerlessFlow.sln")) && File.Exists(Path.Combine(directory.FullName, "package.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (a directory with ServerlessFlow.sln and package.json) above '{AppContext.BaseDirectory}'.");
    }

    /// <summary>The last lines Azurite printed, for failure messages.</summary>
    private sealed class OutputTail
    {
        private const int MaxLines = 50;
        private readonly Queue<string> lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Enqueue(line);
                if (lines.Count > MaxLines)
                {
                    lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (lines)
            {
                return string.Join('\n', lines);
            }
        }
    }
}
