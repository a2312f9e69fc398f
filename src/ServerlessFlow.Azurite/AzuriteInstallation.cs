using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ServerlessFlow.Azurite;

/// <summary>
/// Finds the Azurite a project runs, or installs the pinned one into the project's own folder. The search goes,
/// in order: the node_modules of the project folder and of every folder above it (a repository that installs
/// Azurite with npm, this one included); the project's private install (<c>.serverlessflow/azurite</c>); the
/// global npm packages. When none has it, <c>npm install</c> puts <see cref="PinnedVersion"/> into the private
/// install, once: later starts find it there.
/// </summary>
public static class AzuriteInstallation
{
    /// <summary>
    /// The Azurite version installed when none is found: the one the repository's package-lock.json pins and its
    /// tests run against (3.37.0 runs on node 20 although it declares node 22).
    /// </summary>
    public const string PinnedVersion = "3.37.0";

    /// <summary>The folder, under a project, that holds what the dev server keeps there (Azurite and its data).</summary>
    public const string ProjectStateFolder = ".serverlessflow";

    /// <summary>How long <c>npm install</c> may take: about a minute cold on a 2-core machine, far less from npm's cache.</summary>
    private static readonly TimeSpan InstallDeadline = TimeSpan.FromMinutes(5);

    /// <summary>The project's private install of Azurite.</summary>
    public static string PrivateInstallFolder(string projectFolder) =>
        Path.Combine(Path.GetFullPath(projectFolder), ProjectStateFolder, "azurite");

    /// <summary>The full path of the <c>azurite.js</c> a project runs, installing the pinned Azurite first when none is found.</summary>
    /// <param name="projectFolder">The user's project folder: searched, with every folder above it, and where a private install goes.</param>
    /// <param name="logger">Where an install is announced.</param>
    /// <param name="cancellationToken">Stops the search or the install.</param>
    /// <exception cref="InvalidOperationException">npm is missing or the install failed; the message shows npm's output.</exception>
    public static async Task<string> FindOrInstallAsync(string projectFolder, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectFolder);
        logger ??= NullLogger.Instance;
        var found = Find(projectFolder) ?? await FindGlobalAsync(cancellationToken);
        if (found is not null)
        {
            return found;
        }

        var target = PrivateInstallFolder(projectFolder);
        Log.AzuriteInstalling(logger, PinnedVersion, target);
        Directory.CreateDirectory(target);
        KeepOutOfSourceControl(Path.GetDirectoryName(target)!);
        var (exitCode, output) = await RunNpmAsync(
            ["install", "--prefix", target, "--no-audit", "--no-fund", "--loglevel=error", $"azurite@{PinnedVersion}"], cancellationToken);
        return exitCode == 0 && AzuriteLocator.EntryPointUnder(target) is { } installed
            ? installed
            : throw new InvalidOperationException(
                $"Installing Azurite {PinnedVersion} with npm into '{target}' failed (exit code {exitCode}). " +
                $"Install it yourself (npm install azurite@{PinnedVersion} in '{projectFolder}') or pass --storage-connection-string. npm said:{Environment.NewLine}{output}");
    }

    /// <summary>An Azurite already installed for <paramref name="projectFolder"/> (not the global one), or null.</summary>
    public static string? Find(string projectFolder)
    {
        var start = new DirectoryInfo(Path.GetFullPath(projectFolder));
        for (var directory = start; directory is not null; directory = directory.Parent)
        {
            if (AzuriteLocator.EntryPointUnder(directory.FullName) is { } script)
            {
                return script;
            }
        }

        return AzuriteLocator.EntryPointUnder(PrivateInstallFolder(start.FullName));
    }

    private static async Task<string?> FindGlobalAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunNpmAsync(["root", "--global"], cancellationToken);
        var globalModules = output.Trim();
        // `npm root -g` names the global node_modules itself; the entry point is relative to the folder above it.
        return exitCode == 0 && globalModules.Length > 0 && Path.GetDirectoryName(globalModules) is { } prefix
            ? AzuriteLocator.EntryPointUnder(prefix)
            : null;
    }

    /// <summary>The dev server's state is the developer's own, like bin/ and obj/: a .gitignore keeps it out of commits.</summary>
    private static void KeepOutOfSourceControl(string stateFolder)
    {
        var ignore = Path.Combine(stateFolder, ".gitignore");
        if (!File.Exists(ignore))
        {
            File.WriteAllText(ignore, "# Azurite and its data, written by the ServerlessFlow dev server.\n*\n");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunNpmAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "Could not run 'npm' to find or install Azurite: install Node.js 20 or later (it brings npm) and put it on PATH, " +
                "or pass --storage-connection-string.", e);
        }

        using (process)
        {
            var output = new OutputTail();
            process.OutputDataReceived += (_, e) => output.Add(e.Data);
            process.ErrorDataReceived += (_, e) => output.Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(InstallDeadline);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return (process.ExitCode, output.Lines());
        }
    }
}
