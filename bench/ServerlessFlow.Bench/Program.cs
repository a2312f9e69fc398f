using System.Runtime.InteropServices;
using ServerlessFlow.Azurite;
using ServerlessFlow.Bench;

// Usage: ServerlessFlow.Bench [--workflows 200] [--concurrency 50] [--activities 5] [--delay-ms 0] [--connection-string CS]
// Without --connection-string it runs against a fresh in-memory Azurite that it starts and stops itself.
var options = BenchOptions.Parse(args);

// Ctrl-C or SIGTERM ends the run through the normal path, so the Azurite below is stopped, not orphaned.
using var cancel = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
try
{
    if (options.ConnectionString is { } connectionString)
    {
        Console.WriteLine("storage: the storage given by --connection-string");
        Console.WriteLine((await BenchRun.RunAsync(options, connectionString, cancel.Token)).ToString());
        return 0;
    }

    await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(), cancellationToken: cancel.Token);
    Console.WriteLine($"storage: in-memory Azurite (PID {azurite.Pid}), fresh for this run");
    Console.WriteLine((await BenchRun.RunAsync(options, azurite.ConnectionString, cancel.Token)).ToString());
    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Benchmark stopped before it finished.");
    return 130;
}
catch (Exception e) when (e is IOException or InvalidOperationException)
{
    // Azurite not installed or not starting, or a workflow that did not complete: the message says which.
    await Console.Error.WriteLineAsync("Benchmark failed: " + e.Message);
    return 1;
}

void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}
