using System.Runtime.InteropServices;
using System.Text.Json;
using ServerlessFlow.Azurite;
using ServerlessFlow.Bench;
using ServerlessFlow.Bench.Reporting;

// Usage: see BenchOptions.Usage. The parent process starts a fresh in-memory Azurite (unless given a
// connection string) and runs each engine on each workload in a child process of its own.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + BenchOptions.Usage);
    return 2;
}

// Ctrl-C or SIGTERM ends the run through the normal path, so the Azurite below is stopped, not orphaned.
using var cancel = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
try
{
    if (options.ChildEngine is { } engine)
    {
        await ChildRun.RunAsync(options, engine, options.ConnectionString ?? throw new ArgumentException("A child run needs --connection-string."), cancel.Token);
        return 0;
    }

    if (options.ConnectionString is { } connectionString)
    {
        await Console.Error.WriteLineAsync("storage: the storage given by --connection-string");
        return await RunAllAsync(connectionString, null);
    }

    await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(), cancellationToken: cancel.Token);
    await Console.Error.WriteLineAsync($"storage: in-memory Azurite (PID {azurite.Pid}), fresh for this benchmark; each engine run has its own tables and queues");
    return await RunAllAsync(azurite.ConnectionString, azurite.Pid);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Benchmark stopped before it finished.");
    return 130;
}
catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or TimeoutException)
{
    // Azurite not installed or not starting, or a workflow that did not complete: the message says which.
    await Console.Error.WriteLineAsync("Benchmark failed: " + e.Message);
    return 1;
}

async Task<int> RunAllAsync(string connectionString, int? storagePid)
{
    var (results, failures) = await Conductor.RunAsync(options, connectionString, storagePid, cancel.Token);
    var medians = results.GroupBy(r => (r.Workload, r.Engine)).Select(g => Medians.Of([.. g])).ToList();
    if (options.Json)
    {
        foreach (var result in medians)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, ChildRun.Json));
        }
    }
    else
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.Write(SideBySideReport.Render(medians, options.Runs));
    }

    foreach (var failure in failures)
    {
        await Console.Error.WriteLineAsync("FAILED " + failure);
    }

    return failures.Count == 0 ? 0 : 1;
}

void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}
