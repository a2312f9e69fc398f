using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using ServerlessFlow.Chaos.Worker;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>
/// One incarnation of a chaos worker process: started with its own fault seed and execution journal, killed with
/// SIGKILL by the fleet. Keeps the tail of its output for failure messages and its last fault report.
/// </summary>
internal sealed class ChaosWorkerProcess : IAsyncDisposable
{
    /// <summary>Lines of output kept for diagnostics.</summary>
    private const int TailLines = 60;

    private static readonly string WorkerPath = typeof(ChaosWorkerProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ChaosWorkerPath").Value!;

    private readonly Process process;
    private readonly Queue<string> tail = new();
    private readonly StreamWriter log;
    private bool logClosed;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string lastFaultReport = "";

    private ChaosWorkerProcess(Process process, string name, string journal)
    {
        this.process = process;
        Name = name;
        Journal = journal;
        log = new StreamWriter(Path.ChangeExtension(journal, ".log")) { AutoFlush = true };
    }

    /// <summary>"worker-{slot}.{incarnation}".</summary>
    public string Name { get; }

    /// <summary>The file its activities journal their executions to.</summary>
    public string Journal { get; }

    /// <summary>The file that holds its whole output (kept with the journals after a failure).</summary>
    public string LogFile => Path.ChangeExtension(Journal, ".log");

    /// <summary>True once it was killed by the fleet (its unfinished executions were in flight at a kill).</summary>
    public bool Killed { get; private set; }

    /// <summary>True if it exited although nobody killed it.</summary>
    public bool ExitedOnItsOwn => !Killed && process.HasExited;

    /// <summary>Completes when the worker reports that it polls.</summary>
    public Task Ready => ready.Task;

    /// <summary>The last output lines.</summary>
    public string Tail
    {
        get
        {
            lock (tail)
            {
                return string.Join(Environment.NewLine, tail.Select(line => $"[{Name}] {line}"));
            }
        }
    }

    /// <summary>Faults injected by kind, as last reported.</summary>
    public IReadOnlyDictionary<FaultTiming, int> Faults
    {
        get
        {
            string report;
            lock (tail)
            {
                report = lastFaultReport;
            }

            return report.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(pair => pair.Split('='))
                .ToDictionary(pair => Enum.Parse<FaultTiming>(pair[0]), pair => int.Parse(pair[1], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Starts a worker with its fault seed and journal file; a queued one runs without eager execution.</summary>
    public static ChaosWorkerProcess Start(string name, string connectionString, string prefix, string journal, int seed, FaultRates rates, bool queued)
    {
        Assert.True(File.Exists(WorkerPath), $"The chaos worker is not built at {WorkerPath}.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            WorkerPath, "--connection-string", connectionString, "--prefix", prefix, "--journal", journal, "--seed", Text(seed),
            "--fail-before", Text(rates.BeforeSend), "--fail-after", Text(rates.AfterSend),
            "--duplicate-sends", Text(rates.DuplicateSend), "--delay-sends", Text(rates.DelaySend),
            "--max-extra-delay-ms", Text((int)rates.MaxExtraDelay.TotalMilliseconds), "--queued", queued ? "true" : "false",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var worker = new ChaosWorkerProcess(Process.Start(start)!, name, journal);
        worker.process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        worker.process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>kill -9: no shutdown code runs; its leases and claimed attempts are left for the others to take over.</summary>
    public async Task KillAsync()
    {
        Killed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
        }

        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        lock (tail)
        {
            logClosed = true;
            log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith(ChaosTiming.ReadyLine, StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }

        lock (tail)
        {
            if (!logClosed)
            {
                log.WriteLine(line);
            }

            if (line.StartsWith(ChaosTiming.FaultReportLine + " ", StringComparison.Ordinal))
            {
                lastFaultReport = line;
                return;
            }

            tail.Enqueue(line);
            if (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }
    }

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
