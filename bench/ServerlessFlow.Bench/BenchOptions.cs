using System.Globalization;

namespace ServerlessFlow.Bench;

/// <summary>The benchmark's workloads.</summary>
internal enum Workload
{
    /// <summary>HelloSequence: activities one after another.</summary>
    Sequence,

    /// <summary>One step schedules many activities and awaits them all.</summary>
    FanOut,

    /// <summary>One workflow of thousands of sequential steps: does step time grow, does it stall?</summary>
    Long,

    /// <summary>An engine process with nothing to do.</summary>
    Idle,
}

/// <summary>Command-line settings of the benchmark; a setting left out takes its workload's default.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: ServerlessFlow.Bench [--workload sequence,fanout,long,idle] [--peer dtfx] [--runs N] [--json] [--no-eager]
                                    [--workflows N] [--concurrency N] [--activities N] [--delay-ms N] [--fanout N]
                                    [--steps N] [--idle-seconds N] [--drain-seconds N] [--timeout-minutes N]
                                    [--warmup N] [--task-queues N] [--connection-string CS]
          --workload         one or more, comma-separated or repeated (default: all four)
          --peer dtfx        also run each workload on the Durable Task Framework's Azure Storage engine,
                             alternating with ours (ours, dtfx, ours, dtfx...)
          --runs N           interleaved runs per engine and workload; figures are their medians (default 1)
          --json             print one JSON object per engine and workload instead of the table
          --no-eager         run our engine with eager start and eager activities off: every workflow task and
                             activity goes through its queue, as work does for a second worker or a Functions scale-out
          --workflows, --concurrency   default 200/50 (sequence), 50/10 (fanout), 1/50 (long)
          --activities N     activities of a sequence (default 5);  --fanout N  activities of a fan-out (default 20)
          --delay-ms N       each sequence or fan-out activity waits this long (default 0)
          --steps N          steps of the long workflow (default 2000)
          --idle-seconds N   how long the idle engine is watched (default 60)
          --warmup N         workflows run, unmeasured, before the measurement so that the engine's hot paths are
                             compiled as in a server that has been running (default: the concurrency for sequence,
                             0 for the others; one small workflow always runs first, to create storage)
          --task-queues N    task queues our engine serves (default 1); the work uses the first: with idle, what
                             an engine serving many task queues costs at rest (the Durable Task engine has none)
          --drain-seconds N  after the last workflow closes, how long to wait for the messages the run left
                             behind to fire and be handled before they are reported as owed (default 150)
        Without --connection-string it starts a fresh in-memory Azurite and stops it at the end.
        """;

    public IReadOnlyList<Workload> Workloads { get; init; } = [Workload.Sequence, Workload.FanOut, Workload.Long, Workload.Idle];

    public bool WithPeer { get; init; }

    public int Runs { get; init; } = 1;

    public bool Json { get; init; }

    /// <summary>Our engine runs with eager start and eager activities off, so every step goes through the queues.</summary>
    public bool NoEager { get; init; }

    public int? Workflows { get; init; }

    public int? Concurrency { get; init; }

    public int Activities { get; init; } = 5;

    public int DelayMs { get; init; }

    public int FanOut { get; init; } = 20;

    public int Steps { get; init; } = 2000;

    public int IdleSeconds { get; init; } = 60;

    public int DrainSeconds { get; init; } = 150;

    public int TimeoutMinutes { get; init; } = 15;

    public int? WarmUp { get; init; }

    /// <summary>Task queues our engine's worker serves; the workflows run on the first.</summary>
    public int TaskQueues { get; init; } = 1;

    public string? ConnectionString { get; init; }

    /// <summary>Set in a child process: the one engine it runs.</summary>
    public string? ChildEngine { get; init; }

    /// <summary>Set in a child process when the parent started Azurite: its process, whose CPU time the child reads.</summary>
    public int? StoragePid { get; init; }

    public int WorkflowsOf(Workload workload) => Workflows ?? workload switch
    {
        Workload.Sequence => 200,
        Workload.FanOut => 50,
        _ => 1,
    };

    public int WarmUpOf(Workload workload) => WarmUp ?? (workload == Workload.Sequence ? ConcurrencyOf(workload) : 0);

    public int ConcurrencyOf(Workload workload) => Concurrency ?? workload switch
    {
        Workload.FanOut => 10,
        _ => 50,
    };

    /// <summary>Reads the arguments; throws <see cref="ArgumentException"/> naming a bad one.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        var workloads = new List<Workload>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new ArgumentException($"{name} takes a whole number ≥ 0.");
            if (name == "--workload")
            {
                workloads.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseWorkload));
                options = options with { Workloads = workloads.Distinct().ToList() };
                continue;
            }

            options = name switch
            {
                "--peer" => Value() == "dtfx" ? options with { WithPeer = true } : throw new ArgumentException("--peer takes 'dtfx', the only peer."),
                "--runs" => options with { Runs = Math.Max(1, Int()) },
                "--json" => options with { Json = true },
                "--no-eager" => options with { NoEager = true },
                "--workflows" => options with { Workflows = Math.Max(1, Int()) },
                "--concurrency" => options with { Concurrency = Math.Max(1, Int()) },
                "--activities" => options with { Activities = Int() },
                "--delay-ms" => options with { DelayMs = Int() },
                "--fanout" => options with { FanOut = Int() },
                "--steps" => options with { Steps = Math.Max(2, Int()) },
                "--idle-seconds" => options with { IdleSeconds = Math.Max(1, Int()) },
                "--drain-seconds" => options with { DrainSeconds = Int() },
                "--timeout-minutes" => options with { TimeoutMinutes = Math.Max(1, Int()) },
                "--warmup" => options with { WarmUp = Int() },
                "--task-queues" => options with { TaskQueues = Math.Max(1, Int()) },
                "--connection-string" => options with { ConnectionString = Value() },
                "--child-engine" => options with { ChildEngine = Value() },
                "--storage-pid" => options with { StoragePid = Int() },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return options;
    }

    /// <summary>The arguments of a child process that runs <paramref name="workload"/> once on <paramref name="engine"/>.</summary>
    public IReadOnlyList<string> ChildArguments(Workload workload, string engine, string connectionString, int? storagePid)
    {
        var args = new List<string> { "--child-engine", engine, "--workload", NameOf(workload), "--connection-string", connectionString };
        void Add(string name, int value) => args.AddRange([name, value.ToString(CultureInfo.InvariantCulture)]);
        if (storagePid is { } pid)
        {
            Add("--storage-pid", pid);
        }

        Add("--workflows", WorkflowsOf(workload));
        Add("--concurrency", ConcurrencyOf(workload));
        Add("--activities", Activities);
        Add("--delay-ms", DelayMs);
        Add("--fanout", FanOut);
        Add("--steps", Steps);
        Add("--idle-seconds", IdleSeconds);
        Add("--drain-seconds", DrainSeconds);
        Add("--timeout-minutes", TimeoutMinutes);
        Add("--warmup", WarmUpOf(workload));
        Add("--task-queues", TaskQueues);
        if (NoEager)
        {
            args.Add("--no-eager");
        }

        return args;
    }

    public static string NameOf(Workload workload) => workload.ToString().ToLowerInvariant();

    private static Workload ParseWorkload(string name) => name.ToLowerInvariant() switch
    {
        "sequence" => Workload.Sequence,
        "fanout" => Workload.FanOut,
        "long" => Workload.Long,
        "idle" => Workload.Idle,
        _ => throw new ArgumentException($"Unknown workload '{name}': use sequence, fanout, long or idle."),
    };
}
