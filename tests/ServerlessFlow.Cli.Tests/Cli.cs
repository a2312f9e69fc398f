using System.CommandLine;
using System.Text.Json;

namespace ServerlessFlow.Cli.Tests;

/// <summary>Runs the CLI's entry point with captured output, as a shell would run the tool.</summary>
internal sealed class Cli(Uri address, IReadOnlyDictionary<string, string>? environment = null)
{
    /// <summary>Runs <c>serverlessflow --address {address} args…</c>.</summary>
    public Task<CliRun> RunAsync(params string[] args) => RunRawAsync(["--address", address.ToString(), .. args]);

    /// <summary>Runs <c>serverlessflow args…</c> as given (no --address added).</summary>
    public async Task<CliRun> RunRawAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApplication.RunAsync(args, new InvocationConfiguration { Output = output, Error = error },
            name => environment?.GetValueOrDefault(name));
        return new CliRun(args, code, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command with <c>--output json</c> that must succeed, and parses what it printed.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var run = await RunAsync([.. args, "--output", "json"]);
        run.AssertExit(ExitCodes.Ok);
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }
}

/// <summary>What one run of the CLI did.</summary>
internal sealed record CliRun(string[] Args, int ExitCode, string Output, string Error)
{
    public void AssertExit(int expected) =>
        Assert.True(ExitCode == expected, $"serverlessflow {string.Join(' ', Args)} exited {ExitCode}, expected {expected}.\nstdout:\n{Output}\nstderr:\n{Error}");
}
