using System.Globalization;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Worker;

/// <summary>The worker's command line: where storage is, where to journal activity executions, and the fault seed and rates.</summary>
public sealed record ChaosWorkerOptions
{
    /// <summary>The usage text printed on a bad command line.</summary>
    public const string Usage =
        "usage: ServerlessFlow.Chaos.Worker --connection-string S --prefix P --journal FILE [--seed N] [--fail-before R] [--fail-after R] " +
        "[--duplicate-sends R] [--delay-sends R] [--max-extra-delay-ms N] [--max-retries N] [--queued true|false]";

    /// <summary>The storage connection string (Azurite's).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The table and queue prefix shared by the workers and the driver.</summary>
    public required string Prefix { get; init; }

    /// <summary>The file this process appends one line to per activity execution.</summary>
    public required string Journal { get; init; }

    /// <summary>Seeds the fault draws.</summary>
    public int Seed { get; init; }

    /// <summary>The fault rates.</summary>
    public FaultRates Rates { get; init; } = FaultRates.None;

    /// <summary>The storage SDK's retries of a transient failure; low so that some injected faults reach the engine.</summary>
    public int MaxRetries { get; init; } = 1;

    /// <summary>Eager start and eager activities off: every workflow task and activity of this worker goes through its queue.</summary>
    public bool Queued { get; init; }

    /// <summary>Parses the command line.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value, or is out of range.</exception>
    public static ChaosWorkerOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--option value' at '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Required(string name) => values.Remove(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");
        double Rate(string name) => values.Remove(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : 0;
        int Number(string name, int fallback) => values.Remove(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        var options = new ChaosWorkerOptions
        {
            ConnectionString = Required("connection-string"),
            Prefix = Required("prefix"),
            Journal = Required("journal"),
            Seed = Number("seed", 0),
            Rates = new FaultRates(Rate("fail-before"), Rate("fail-after"), Rate("duplicate-sends"), Rate("delay-sends"), TimeSpan.FromMilliseconds(Number("max-extra-delay-ms", 3_000))),
            MaxRetries = Number("max-retries", 1),
            Queued = values.Remove("queued", out var queued) && bool.Parse(queued),
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}.");
        }

        options.Rates.Validate();
        return options;
    }
}
