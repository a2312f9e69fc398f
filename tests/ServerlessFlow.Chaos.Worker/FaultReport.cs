using System.Globalization;
using Microsoft.Extensions.Hosting;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Worker;

/// <summary>
/// Prints the faults injected so far, by kind, as one line on standard output whenever the counts change (at most
/// once per <see cref="Interval"/>): "faults BeforeSend=… AfterSend=… DuplicateSend=… DelaySend=…". The driver keeps
/// the last line of each process for its summary; a SIGKILL loses at most the last interval's counts.
/// </summary>
internal sealed class FaultReport(FaultInjectionPolicy faults) : BackgroundService
{
    /// <summary>How often the counts are checked.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var last = -1;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (faults.Injected != last)
            {
                last = faults.Injected;
                var counts = Enum.GetValues<FaultTiming>().Select(t => string.Create(CultureInfo.InvariantCulture, $"{t}={faults.InjectedOf(t)}"));
                await Console.Out.WriteLineAsync(ChaosTiming.FaultReportLine + " " + string.Join(' ', counts));
                await Console.Out.FlushAsync(stoppingToken);
            }
        }
    }
}
