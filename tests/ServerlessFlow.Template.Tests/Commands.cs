using System.Diagnostics;
using System.Text;

namespace ServerlessFlow.Template.Tests;

/// <summary>Runs the commands a user types (dotnet new, build, test), each with a deadline, and keeps their output for failure messages.</summary>
internal static class Commands
{
    /// <summary>The dotnet host running the tests, so that child commands use the same SDK.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>Runs <paramref name="arguments"/> in <paramref name="workingDirectory"/> and fails the test, showing the output, unless it exits with 0 in time.</summary>
    public static async Task<string> RunAsync(string workingDirectory, TimeSpan deadline, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = StartInfo(workingDirectory, environment, arguments);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'dotnet {string.Join(' ', arguments)}' did not finish within {deadline}:\n{Text(output)}");
        }

        await process.WaitForExitAsync(CancellationToken.None); // Drains the output.
        Assert.True(process.ExitCode == 0, $"'dotnet {string.Join(' ', arguments)}' exited with {process.ExitCode}:\n{Text(output)}");
        return Text(output);
    }

    /// <summary>A dotnet command as a process start, with the test's environment for child commands.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild settings must not leak into the user's build.
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "VSTEST_HOST_DEBUG" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    public static void Append(StringBuilder output, string? line)
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

    public static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
