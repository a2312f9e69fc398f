using System.Diagnostics;
using System.Text.Json;
using ServerlessFlow.Bench.Workloads;

namespace ServerlessFlow.Bench;

/// <summary>
/// Runs every engine on every workload, each in a fresh child process against the same storage, alternating
/// the engines (ours, dtfx, ours, dtfx…) so that the machine's changing load falls on both alike.
/// </summary>
internal static class Conductor
{
    /// <summary>Runs every run of every workload on every engine; <paramref name="storagePid"/> (Azurite's process, when the benchmark started it) lets each child read Azurite's CPU time.</summary>
    public static async Task<(List<EngineResult> Results, List<string> Failures)> RunAsync(BenchOptions options, string connectionString, int? storagePid, CancellationToken cancellationToken)
    {
        string[] engines = options.WithPeer ? ["ours", "dtfx"] : ["ours"];
        var results = new List<EngineResult>();
        var failures = new List<string>();
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var workload in options.Workloads)
            {
                foreach (var engine in engines)
                {
                    await Console.Error.WriteLineAsync($"[run {run}/{options.Runs}] {BenchOptions.NameOf(workload)} on {engine}...");
                    var clock = Stopwatch.StartNew();
                    var (result, error) = await RunChildAsync(options.ChildArguments(workload, engine, connectionString, storagePid), cancellationToken);
                    if (result is not null)
                    {
                        results.Add(result);
                        await Console.Error.WriteLineAsync($"  done in {clock.Elapsed.TotalSeconds:F0} s");
                    }
                    else
                    {
                        failures.Add($"run {run}, {BenchOptions.NameOf(workload)} on {engine}: {error}");
                        await Console.Error.WriteLineAsync("  failed: " + error);
                    }
                }
            }
        }

        return (results, failures);
    }

    private static async Task<(EngineResult? Result, string Error)> RunChildAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? "dotnet";
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Conductor).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("The benchmark could not start its child process.");
        try
        {
            var output = await child.StandardOutput.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ChildRun.ResultMarker, StringComparison.Ordinal));
            return line is null
                ? (null, $"exit code {child.ExitCode} (the child's error is printed above){(output.Trim().Length > 0 ? "; output: " + output.Trim() : "")}")
                : (JsonSerializer.Deserialize<EngineResult>(line[ChildRun.ResultMarker.Length..], ChildRun.Json), "");
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }
    }
}
