using System.Diagnostics;
using System.Reflection;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>What one bicep command printed and how it ended.</summary>
public sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the command printed, for assertion messages.</summary>
    public string AllOutput => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>
/// Runs the bicep CLI shipped in the Azure.Bicep.CommandLine.linux-x64 NuGet package. The build
/// bakes the package folder and the repository root into assembly metadata (see the .csproj).
/// </summary>
internal static class BicepCli
{
    // A cold start of the 120 MB self-contained binary takes seconds on a loaded 2-core machine;
    // a command still running after this is hung, not slow.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Absolute path of the repository root.</summary>
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>Absolute path of the infra/ folder.</summary>
    public static string InfraDirectory { get; } = Path.Combine(RepositoryRoot, "infra");

    /// <summary>Absolute path of the functions.metadata the Functions SDK generated for functions/.</summary>
    public static string FunctionsMetadata { get; } = Metadata("FunctionsMetadata");

    private static string BicepPath { get; } = Metadata("BicepPath");

    /// <summary>Runs bicep with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static async Task<BicepResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        EnsureExecutable();
        var startInfo = new ProcessStartInfo(BicepPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Offline and quiet: no telemetry upload, no update check.
        startInfo.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {BicepPath}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {CommandTimeout}.");
        }

        return new BicepResult(process.ExitCode, await stdout, await stderr);
    }

    // NuGet does not promise to keep the executable bit when it extracts a package; the build sets
    // it too, this covers a test run against a package restored by another project.
    private static void EnsureExecutable()
    {
        if (!File.Exists(BicepPath))
        {
            throw new FileNotFoundException(
                $"The bicep CLI is not at {BicepPath}: restore the Azure.Bicep.CommandLine.linux-x64 package (dotnet restore).",
                BicepPath);
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(BicepPath);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(BicepPath, mode | execute);
        }
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing: it is set by ServerlessFlow.Deployment.Tests.csproj.");
}
