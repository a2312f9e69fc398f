using System.Globalization;

namespace ServerlessFlow.Azurite;

/// <summary>
/// Records the PID of the Azurite that owns a data folder. Two Azurites writing one folder would corrupt it,
/// and a host killed with SIGKILL cannot stop its Azurite, so the next start reads this file and refuses
/// while that process still runs Azurite on the folder.
/// </summary>
internal sealed class PidFile(string dataFolder)
{
    /// <summary>Beside the folder rather than in it, so Azurite never sees a file it does not own.</summary>
    public string Path { get; } = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(dataFolder)) + ".pid";

    /// <exception cref="InvalidOperationException">An Azurite recorded in the file still runs on the folder.</exception>
    public void RefuseIfStillRunning()
    {
        if (!File.Exists(Path) || !int.TryParse(File.ReadAllText(Path), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        // Linux only; elsewhere there is no /proc and nothing is refused. The PID may have been reused, hence the command-line check.
        var commandLine = $"/proc/{pid}/cmdline";
        if (File.Exists(commandLine) && File.ReadAllText(commandLine).Contains("azurite", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"An Azurite started earlier (PID {pid}) still runs on {dataFolder}; two on one folder would corrupt it. " +
                $"Stop it with 'kill {pid}' and start again.");
        }
    }

    public Task WriteAsync(int pid, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path, pid.ToString(CultureInfo.InvariantCulture), cancellationToken);

    public void Delete() => File.Delete(Path);
}
