using System.Diagnostics;
using System.Globalization;

namespace ServerlessFlow.DevServer;

/// <summary>
/// The Azurite the dev server launches: node run directly (so the PID we hold is Azurite's own), on
/// loopback ports, persisting under <c>.data/azurite</c> unless in memory. Stopped by that PID only —
/// SIGTERM, a grace period, then SIGKILL — never by name, since other programs may run their own Azurite.
/// </summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's fixed development account.</summary>
    private const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key: published in Azurite's documentation, not a secret.</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>How long Azurite may take to open its ports: 2–4 s usually, up to ~8 s on a loaded machine.</summary>
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);

    /// <summary>How long Azurite gets to flush and exit after SIGTERM before it is killed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>Lines of Azurite's output kept to explain a failed start.</summary>
    private const int OutputTailLines = 20;

    private readonly Process process;
    private readonly string? pidFile;
    private readonly ILogger logger;
    private readonly Queue<string> outputTail = new();

    private AzuriteProcess(Process process, int[] ports, string? dataFolder, string? pidFile, ILogger logger)
    {
        this.process = process;
        Ports = ports;
        DataFolder = dataFolder;
        this.pidFile = pidFile;
        this.logger = logger;
    }

    /// <summary>Azurite's process ID.</summary>
    public int Pid => process.Id;

    /// <summary>Blob, queue and table ports.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>Where Azurite persists; null when in memory.</summary>
    public string? DataFolder { get; }

    /// <summary>A connection string for this Azurite.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{Ports[0]}/{AccountName};QueueEndpoint=http://127.0.0.1:{Ports[1]}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{Ports[2]}/{AccountName};";

    /// <summary>Launches Azurite and waits until its three ports accept connections.</summary>
    /// <exception cref="InvalidOperationException">Azurite could not start; the message says why.</exception>
    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot, bool inMemory, ILogger logger, CancellationToken cancellationToken)
    {
        var ports = LoopbackPorts.ChooseAzuritePorts();
        string? dataFolder = null;
        string? pidFile = null;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(repositoryRoot, AzuriteLocator.EntryPoint));
        foreach (var argument in new[] { "--silent", "--disableTelemetry", "--skipApiVersionCheck" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (service, port) in new[] { ("blob", ports[0]), ("queue", ports[1]), ("table", ports[2]) })
        {
            start.ArgumentList.Add($"--{service}Host");
            start.ArgumentList.Add("127.0.0.1");
            start.ArgumentList.Add($"--{service}Port");
            start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        }

        if (inMemory)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            dataFolder = Path.Combine(repositoryRoot, ".data", "azurite");
            Directory.CreateDirectory(dataFolder);
            pidFile = Path.Combine(repositoryRoot, ".data", "azurite.pid");
            RefuseIfStillRunning(pidFile);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataFolder);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Could not run 'node': install Node.js (20 or later) and make sure it is on PATH.", e);
        }

        var azurite = new AzuriteProcess(process, ports, dataFolder, pidFile, logger);
        process.OutputDataReceived += (_, e) => azurite.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => azurite.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (pidFile is not null)
        {
            await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }

        try
        {
            await azurite.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        Log.AzuriteStarted(logger, process.Id, string.Join(", ", ports), dataFolder ?? "memory");
        return azurite;
    }

    /// <summary>Stops Azurite: SIGTERM by PID, up to <see cref="StopGrace"/> to exit, then SIGKILL of that PID.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                PosixSignals.Terminate(process);
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    Log.AzuriteKilled(logger, process.Id, StopGrace);
                    process.Kill(entireProcessTree: false);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }

            Log.AzuriteStopped(logger, process.Id);
        }
        finally
        {
            if (pidFile is not null)
            {
                File.Delete(pidFile);
            }

            process.Dispose();
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + ReadyDeadline;
        var pending = new List<int>(Ports);
        while (pending.Count > 0)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Azurite exited with code {process.ExitCode} before it was ready (ports {string.Join(", ", Ports)}). Its last output:{Environment.NewLine}{Tail()}");
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"Azurite (PID {process.Id}) did not open ports {string.Join(", ", pending)} within {ReadyDeadline.TotalSeconds} s. Its last output:{Environment.NewLine}{Tail()}");
            }

            var open = new List<int>();
            foreach (var port in pending)
            {
                if (await LoopbackPorts.AcceptsAsync(port, cancellationToken))
                {
                    open.Add(port);
                }
            }

            pending.RemoveAll(open.Contains);
            if (pending.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Two Azurites writing one data folder would corrupt it. A dev server killed with SIGKILL cannot stop
    /// its Azurite, so a PID file records it; if that process still runs Azurite, ask the user to stop it.
    /// </summary>
    private static void RefuseIfStillRunning(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        var commandLine = $"/proc/{pid}/cmdline";
        if (File.Exists(commandLine) && File.ReadAllText(commandLine).Contains("azurite", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"An Azurite started by an earlier dev server (PID {pid}) still runs on {Path.GetDirectoryName(pidFile)}. " +
                $"Stop it with 'kill {pid}' and start the dev server again.");
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (outputTail)
        {
            outputTail.Enqueue(line);
            while (outputTail.Count > OutputTailLines)
            {
                outputTail.Dequeue();
            }
        }
    }

    private string Tail()
    {
        lock (outputTail)
        {
            return outputTail.Count == 0 ? "  (nothing)" : string.Join(Environment.NewLine, outputTail.Select(l => "  " + l));
        }
    }
}
