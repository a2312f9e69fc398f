using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ServerlessFlow.Azurite;

/// <summary>
/// Records which Azurite serves a data folder and which process launched it (each by PID and start time). Two Azurites
/// on one folder would corrupt it, and a launcher killed with SIGKILL cannot stop its Azurite (node outlives its parent),
/// so the next start reads this file: while the recorded launcher still runs, the folder is taken and the start is
/// refused; once it is gone, an Azurite still serving this folder is its orphan, and is stopped by PID (SIGTERM, on which it
/// saves everything it holds) before the new one starts. A process is only ever stopped after checking it is the recorded one (same PID and start time) and that its
/// command line is Azurite's with <c>--location</c> this folder — never someone else's Azurite. Linux only (it reads
/// /proc); elsewhere nothing is known, nothing is stopped and nothing is refused.
/// </summary>
internal sealed class PidFile(string dataFolder)
{
    /// <summary>
    /// How long an orphan gets to save its databases and exit after SIGTERM before it is killed. It writes to a pipe nobody
    /// reads, which Azurite runs with a preamble for (<see cref="AzuriteProcess"/>): otherwise the EPIPE would end it at once.
    /// </summary>
    private static readonly TimeSpan OrphanStopGrace = TimeSpan.FromSeconds(5);

    /// <summary>How often an orphan is looked at while it stops: a process that is not our child cannot be awaited.</summary>
    private static readonly TimeSpan OrphanPollInterval = TimeSpan.FromMilliseconds(50);

    private const string AzuriteKey = "azurite";
    private const string OwnerKey = "owner";

    private readonly string folder = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(dataFolder));

    /// <summary>Beside the folder rather than in it, so Azurite never sees a file it does not own.</summary>
    public string Path => folder + ".pid";

    /// <summary>Makes the folder free for a new Azurite: refuses while its launcher runs, stops an orphan it left.</summary>
    /// <exception cref="InvalidOperationException">The folder's Azurite is still in use by the process that launched it.</exception>
    public async Task ReplaceOrphanAsync(ILogger logger, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return;
        }

        var recorded = Read(await File.ReadAllTextAsync(Path, cancellationToken));
        var azurite = recorded.Azurite;
        if (azurite is null || !ServesThisFolder(azurite))
        {
            return; // Exited (or its PID is another process's now): nothing holds the folder.
        }

        if (recorded.Owner is not { } owner || owner.IsRunning)
        {
            var by = recorded.Owner is { } o ? $"the process that started it (PID {o.Pid}) still runs" : "it was recorded without the process that started it";
            throw new InvalidOperationException(
                $"An Azurite (PID {azurite.Pid}) still runs on {folder}, and {by}; two on one folder would corrupt it. " +
                $"Stop that dev server (or 'kill {azurite.Pid}'), or give this one another data folder, and start again.");
        }

        Log.OrphanStopping(logger, azurite.Pid, owner.Pid, folder);
        await StopAsync(azurite, logger, cancellationToken);
    }

    /// <summary>Records the Azurite just launched for the folder and this process as its owner.</summary>
    public Task WriteAsync(int azuritePid, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (ProcessIdentity.Of(azuritePid) is { } azurite)
        {
            lines.Add($"{AzuriteKey} {azurite}");
        }

        if (ProcessIdentity.Current() is { } owner)
        {
            lines.Add($"{OwnerKey} {owner}");
        }

        // No /proc: the PID alone, which the next start reads as "unknown owner" and refuses while Azurite runs.
        return File.WriteAllLinesAsync(Path, lines.Count > 0 ? lines : [azuritePid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
    }

    public void Delete() => File.Delete(Path);

    /// <summary>True when the process is Azurite with <c>--location</c> this folder.</summary>
    private bool ServesThisFolder(ProcessIdentity process)
    {
        var arguments = process.CommandLine();
        var location = arguments.ToList().IndexOf("--location");
        return arguments.Any(a => a.Contains("azurite", StringComparison.OrdinalIgnoreCase))
            && location >= 0 && location + 1 < arguments.Count
            && string.Equals(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(arguments[location + 1])), folder, StringComparison.Ordinal);
    }

    /// <summary>SIGTERM, on which Azurite saves every database and exits; SIGKILL (said in the log) only to one that hangs.</summary>
    private static async Task StopAsync(ProcessIdentity azurite, ILogger logger, CancellationToken cancellationToken)
    {
        PosixSignals.Terminate(azurite.Pid);
        var deadline = DateTimeOffset.UtcNow + OrphanStopGrace;
        while (azurite.IsRunning)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Log.AzuriteKilled(logger, azurite.Pid, OrphanStopGrace);
                PosixSignals.Kill(azurite.Pid);
                deadline = DateTimeOffset.MaxValue;
            }

            await Task.Delay(OrphanPollInterval, cancellationToken);
        }
    }

    /// <summary>The recorded processes; a file of a bare PID (older versions) names only Azurite, start time unknown.</summary>
    private static (ProcessIdentity? Azurite, ProcessIdentity? Owner) Read(string text)
    {
        ProcessIdentity? azurite = null;
        ProcessIdentity? owner = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
            {
                azurite = ProcessIdentity.Of(bare);
            }
            else if (line.StartsWith(AzuriteKey + " ", StringComparison.Ordinal))
            {
                azurite = ProcessIdentity.Parse(line[(AzuriteKey.Length + 1)..]);
            }
            else if (line.StartsWith(OwnerKey + " ", StringComparison.Ordinal))
            {
                owner = ProcessIdentity.Parse(line[(OwnerKey.Length + 1)..]);
            }
        }

        return (azurite, owner);
    }
}
