using System.Diagnostics;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Aot.Tests;

/// <summary>
/// A user's app on generated registration compiles ahead of time without one trim or AOT warning, and the native binary runs a
/// workflow with an activity, a signal and a query to completion.
/// </summary>
public sealed class NativeAotPublishTests
{
    /// <summary>A guard so a stuck compiler fails the test instead of hanging CI; not a timing assertion.</summary>
    private static readonly TimeSpan PublishLimit = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task Publish_AppWithGeneratedRegistration_NoTrimOrAotWarningAndTheNativeBinaryRunsTheWorkflow()
    {
        var repository = AzuriteFixture.FindRepositoryRoot();
        var project = Path.Combine(repository, "tests", "ServerlessFlow.Aot.App", "ServerlessFlow.Aot.App.csproj");
        var output = Path.Combine(Path.GetTempPath(), "serverlessflow-aot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var publish = await RunAsync(
                "dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "--nologo", "-p:TreatWarningsAsErrors=true", "-warnaserror"], PublishLimit);

            Assert.True(publish.ExitCode == 0, publish.Output);
            Assert.DoesNotContain("warning IL", publish.Output, StringComparison.Ordinal);
            var binary = Path.Combine(output, "ServerlessFlow.Aot.App");
            Assert.True(File.Exists(binary), $"No native binary at {binary}:\n{publish.Output}");
            Assert.False(File.Exists(Path.Combine(output, "ServerlessFlow.Aot.App.dll")), "The publish wrote IL, not a native binary.");

            var run = await RunAsync(binary, [], TimeSpan.FromMinutes(1));

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("query status: waiting for approval", run.Output, StringComparison.Ordinal);
            Assert.Contains("result: Hello Ada #1, Hello Ada #2 (approved by lead)", run.Output, StringComparison.Ordinal);
            Assert.Contains("query status: done", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {limit}:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
