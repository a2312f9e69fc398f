using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>
/// The worker processes of a chaos run: a fixed number of slots, each holding the current incarnation of a worker.
/// While the storm runs, a seeded loop kills the worker of a random slot with SIGKILL at random moments and starts a
/// new incarnation in its place (with its own fault seed and journal).
/// </summary>
internal sealed class WorkerFleet : IAsyncDisposable
{
    /// <summary>How long a worker may take to start polling on a loaded machine.</summary>
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);

    private readonly ChaosSettings settings;
    private readonly string connectionString;
    private readonly string prefix;
    private readonly string journalDirectory;
    private readonly Random killRandom;
    private readonly List<ChaosWorkerProcess> all = [];
    private readonly ChaosWorkerProcess[] slots;

    public WorkerFleet(ChaosSettings settings, string connectionString, string prefix, string journalDirectory)
    {
        this.settings = settings;
        this.connectionString = connectionString;
        this.prefix = prefix;
        this.journalDirectory = journalDirectory;
        killRandom = new Random(settings.SeedFor("kills"));
        slots = new ChaosWorkerProcess[settings.Workers];
    }

    /// <summary>Every incarnation so far, killed ones included.</summary>
    public IReadOnlyList<ChaosWorkerProcess> Incarnations
    {
        get
        {
            lock (all)
            {
                return [.. all];
            }
        }
    }

    /// <summary>Kills so far.</summary>
    public int Kills => Incarnations.Count(w => w.Killed);

    /// <summary>Starts a worker in every slot and waits until each polls.</summary>
    public async Task StartAsync()
    {
        for (var slot = 0; slot < slots.Length; slot++)
        {
            slots[slot] = StartIncarnation(slot);
        }

        var ready = Task.WhenAll(slots.Select(w => w.Ready));
        var finished = await Task.WhenAny(ready, Task.Delay(ReadyDeadline));
        Assert.True(finished == ready, $"The chaos workers did not start polling within {ReadyDeadline.TotalSeconds} s:{Environment.NewLine}{Diagnostics()}");
    }

    /// <summary>
    /// Kills and restarts workers at seeded random intervals until <paramref name="stop"/> is cancelled. Each interval
    /// counts from the moment every worker polls, so that on a loaded machine the kills hit working workers, not
    /// starting ones.
    /// </summary>
    public async Task KillAtRandomAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var (min, max) = settings.KillInterval;
                var ready = Task.WhenAll(slots.Select(w => w.Ready));
                await Task.WhenAny(ready, Task.Delay(ReadyDeadline, stop));
                stop.ThrowIfCancellationRequested();
                await Task.Delay(min + (max - min) * killRandom.NextDouble(), stop);
                var slot = killRandom.Next(slots.Length);
                await slots[slot].KillAsync();
                slots[slot] = StartIncarnation(slot);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The storm is over.
        }
    }

    /// <summary>Kills the current workers (SIGKILL, counted as kills): nothing runs while the checks read histories and journals.</summary>
    public async Task StopAsync()
    {
        foreach (var worker in slots)
        {
            await worker.KillAsync();
        }
    }

    /// <summary>Faults injected by every incarnation, by kind (as last reported by each).</summary>
    public IReadOnlyDictionary<FaultTiming, int> FaultTotals() =>
        Incarnations.SelectMany(w => w.Faults).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));

    /// <summary>Workers that exited without being killed: a crash of the worker itself.</summary>
    public IReadOnlyList<ChaosWorkerProcess> Crashed() => Incarnations.Where(w => w.ExitedOnItsOwn).ToList();

    /// <summary>The output tails of the current incarnations and of any that crashed.</summary>
    public string Diagnostics() =>
        string.Join(Environment.NewLine, slots.Where(w => w is not null).Concat(Crashed()).Distinct().Select(w => w.Tail));

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in Incarnations)
        {
            await worker.DisposeAsync();
        }
    }

    private ChaosWorkerProcess StartIncarnation(int slot)
    {
        lock (all)
        {
            var incarnation = all.Count;
            // Odd slots run queued (no eager start or activities), so both paths of the protocol are killed and faulted.
            var queued = slot % 2 == 1;
            var name = $"worker-{slot}.{incarnation}{(queued ? "-queued" : "")}";
            var worker = ChaosWorkerProcess.Start(
                name, connectionString, prefix, Path.Combine(journalDirectory, name + ".journal"), settings.SeedFor("faults", incarnation), settings.Rates, queued);
            all.Add(worker);
            return worker;
        }
    }
}
