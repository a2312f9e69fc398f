using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ServerlessFlow.Azurite;

/// <summary>
/// An Azurite launched from the repository's node_modules: node run directly (so the PID held is Azurite's own),
/// on loopback ports, in memory or persisting to a folder. It is stopped by that PID only — SIGTERM, a grace
/// period, then SIGKILL — never by name, since other programs may run their own Azurite. Dispose it on every
/// way out: since .NET 10 nothing runs on SIGTERM unless the host handles it (ASP.NET Core's host does; a console
/// program registers <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/>), and node outlives its parent.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's fixed development account.</summary>
    private const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key: published in Azurite's documentation, not a secret.</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>
    /// No access log; no telemetry (it would call an internet address); and accept the newer service version
    /// Azure.Storage.Queues sends, which Azurite otherwise rejects with 400 InvalidHeaderValue.
    /// </summary>
    private static readonly string[] FixedArguments = ["--silent", "--disableTelemetry", "--skipApiVersionCheck"];

    /// <summary>
    /// Run before Azurite's script (given next, as <c>process.argv[1]</c>, so Azurite reads its arguments as usual): a write
    /// to a closed stdout or stderr is ignored. Azurite prints on its SIGTERM path, and an Azurite whose launcher was killed
    /// with SIGKILL writes into a pipe nobody reads: without this, that write's EPIPE is an unhandled 'error' event, node
    /// exits with code 1 before Azurite closes its Loki databases, and the writes of their last autosave interval (5 s) are lost.
    /// </summary>
    private const string IgnoreClosedOutput =
        "for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {}); require(process.argv[1]);";

    /// <summary>
    /// How long a live Azurite may take to open its ports: 2–4 s usually, ~8 s on a loaded 2-core machine, and past 30 s
    /// while several test hosts start at once (load average 25+). An Azurite that exits is reported at once, not after this.
    /// </summary>
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(120);

    /// <summary>How often the ports are tried while Azurite starts: nothing else signals readiness.</summary>
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How long Azurite gets to flush and exit after SIGTERM before it is killed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly Process process;
    private readonly PidFile? pidFile;
    private readonly ILogger logger;
    private readonly OutputTail output = new();
    private readonly Lock stopLock = new();
    private Task? stopping;

    private AzuriteProcess(Process process, int[] ports, string? dataFolder, PidFile? pidFile, ILogger logger)
    {
        this.process = process;
        this.pidFile = pidFile;
        this.logger = logger;
        Pid = process.Id;
        (BlobPort, QueuePort, TablePort) = (ports[0], ports[1], ports[2]);
        DataFolder = dataFolder;
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Azurite's process ID.</summary>
    public int Pid { get; }

    /// <summary>The blob service's port on 127.0.0.1.</summary>
    public int BlobPort { get; }

    /// <summary>The queue service's port on 127.0.0.1.</summary>
    public int QueuePort { get; }

    /// <summary>The table service's port on 127.0.0.1.</summary>
    public int TablePort { get; }

    /// <summary>Where Azurite persists (a full path); null when in memory.</summary>
    public string? DataFolder { get; }

    /// <summary>A connection string to this Azurite's blob, queue and table endpoints.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>Launches Azurite and waits, up to a deadline, until its three ports accept connections.</summary>
    /// <param name="options">In memory or on disk, and which ports.</param>
    /// <param name="logger">Where start and stop are logged; nowhere when null.</param>
    /// <param name="cancellationToken">Stops waiting (and stops Azurite).</param>
    /// <exception cref="IOException">
    /// <see cref="AzuriteOptions.EntryPoint"/> is null and no repository was found, or Azurite is not installed (run <c>npm ci</c>).
    /// </exception>
    /// <exception cref="InvalidOperationException">Azurite could not start; the message says why and shows its last output.</exception>
    public static async Task<AzuriteProcess> StartAsync(AzuriteOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var script = options.EntryPoint is { } entryPoint
            ? AzuriteLocator.RequireEntryPoint(Path.GetFullPath(entryPoint))
            : AzuriteLocator.FindEntryPoint(AzuriteLocator.FindRepositoryRoot());
        var dataFolder = options.DataFolder is null ? null : Path.GetFullPath(options.DataFolder);
        PidFile? pidFile = null;
        if (dataFolder is not null)
        {
            pidFile = new PidFile(dataFolder);
            await pidFile.ReplaceOrphanAsync(logger ?? NullLogger.Instance, cancellationToken);
            Directory.CreateDirectory(dataFolder);
        }

        var ports = LoopbackPorts.Choose(options.PreferDefaultPorts);
        var azurite = new AzuriteProcess(Launch(StartInfo(script, ports, dataFolder)), ports, dataFolder, pidFile, logger ?? NullLogger.Instance);
        try
        {
            if (pidFile is not null)
            {
                await pidFile.WriteAsync(azurite.Pid, cancellationToken);
            }

            await azurite.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        Log.AzuriteStarted(azurite.logger, azurite.Pid, string.Join(", ", ports), dataFolder ?? "memory");
        return azurite;
    }

    /// <summary>Stops Azurite: SIGTERM to its PID, up to 5 s to exit, then SIGKILL to that PID. Safe to call more than once.</summary>
    public ValueTask DisposeAsync() => new(StopOnceAsync());

    private static ProcessStartInfo StartInfo(string script, int[] ports, string? dataFolder)
    {
        var start = new ProcessStartInfo("node")
        {
            // Azurite writes its debug log and nothing else relative to the working directory; keep it beside the install.
            WorkingDirectory = Path.GetDirectoryName(script)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(IgnoreClosedOutput);
        start.ArgumentList.Add(script);
        foreach (var argument in FixedArguments)
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

        // Azurite rejects --inMemoryPersistence together with --location.
        if (dataFolder is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataFolder);
        }

        return start;
    }

    private static Process Launch(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("Could not start node to run Azurite.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Could not run 'node' to start Azurite: install Node.js 20 or later and put it on PATH.", e);
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<int> { BlobPort, QueuePort, TablePort };
        while (true)
        {
            foreach (var port in pending.ToArray())
            {
                if (await LoopbackPorts.AcceptsAsync(port, cancellationToken))
                {
                    pending.Remove(port);
                }
            }

            if (pending.Count == 0)
            {
                return;
            }

            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken); // Drains the output, so the tail below is complete.
                throw new InvalidOperationException(
                    $"Azurite exited with code {process.ExitCode} before it listened on ports {BlobPort}, {QueuePort}, {TablePort}. Its last output:{Environment.NewLine}{output}");
            }

            if (clock.Elapsed > ReadyDeadline)
            {
                throw new InvalidOperationException(
                    $"Azurite (PID {Pid}) did not listen on port(s) {string.Join(", ", pending)} within {ReadyDeadline.TotalSeconds} s. Its last output:{Environment.NewLine}{output}");
            }

            await Task.Delay(ReadyPollInterval, cancellationToken);
        }
    }

    private Task StopOnceAsync()
    {
        lock (stopLock)
        {
            return stopping ??= StopAsync();
        }
    }

    private async Task StopAsync()
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
                    Log.AzuriteKilled(logger, Pid, StopGrace);
                    process.Kill(entireProcessTree: false);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }

            Log.AzuriteStopped(logger, Pid);
        }
        finally
        {
            pidFile?.Delete();
            process.Dispose();
        }
    }
}
