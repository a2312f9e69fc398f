using System.Globalization;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>
/// What a chaos run does, from the environment: CHAOS_SEED replays a run (a fresh seed is drawn and printed when it
/// is unset), CHAOS_MINUTES keeps the storm going that long in rounds (0, the CI setting, runs one round);
/// CHAOS_FAULT_SCALE multiplies the fault rates and CHAOS_KILLS=0 turns the kills off, to tell the engine's own
/// speed from what the chaos costs (before/after measurements). CHAOS_KINDS ("parent,can") narrows the mix to some
/// scenario kinds while a failure is diagnosed; CI runs the whole mix.
/// </summary>
internal sealed record ChaosSettings
{
    /// <summary>Seeds the workflow mix, the drivers' timing, the kill times and every worker's fault draws.</summary>
    public required int Seed { get; init; }

    /// <summary>How long to keep starting rounds; zero for one round.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Worker processes sharing the storage.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Faults per storage request in the workers: ~2% fail before storage, ~2% after, and 5% of queue sends are duplicated, 5% delayed up to 3 s.</summary>
    public FaultRates Rates { get; init; } = new(BeforeSend: 0.02, AfterSend: 0.02, DuplicateSend: 0.05, DelaySend: 0.05, MaxExtraDelay: TimeSpan.FromSeconds(3));

    /// <summary>The scenario kinds to run (see <see cref="Scenarios.ScenarioPlan"/>); null for the whole mix.</summary>
    public IReadOnlySet<string>? Kinds { get; init; }

    /// <summary>Whether workers are killed at all.</summary>
    public bool Kills { get; init; } = true;

    /// <summary>Shortest and longest time between two worker kills.</summary>
    public (TimeSpan Min, TimeSpan Max) KillInterval { get; init; } = (TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(20));

    /// <summary>How long one round may take, from its first start until every workflow of it has closed.</summary>
    public TimeSpan RoundDeadline { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long the runs the schedule started before its pause, and abandoned children, get to close after the last round.</summary>
    public TimeSpan SettleDeadline { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Reads the settings from the environment.</summary>
    public static ChaosSettings FromEnvironment()
    {
        var seedText = Environment.GetEnvironmentVariable("CHAOS_SEED");
        var minutesText = Environment.GetEnvironmentVariable("CHAOS_MINUTES");
        var scaleText = Environment.GetEnvironmentVariable("CHAOS_FAULT_SCALE");
        var kindsText = Environment.GetEnvironmentVariable("CHAOS_KINDS");
        var settings = new ChaosSettings
        {
            Seed = string.IsNullOrWhiteSpace(seedText) ? Random.Shared.Next() : int.Parse(seedText, CultureInfo.InvariantCulture),
            Duration = string.IsNullOrWhiteSpace(minutesText) ? TimeSpan.Zero : TimeSpan.FromMinutes(double.Parse(minutesText, CultureInfo.InvariantCulture)),
            Kills = Environment.GetEnvironmentVariable("CHAOS_KILLS") != "0",
            Kinds = string.IsNullOrWhiteSpace(kindsText) ? null : kindsText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        };
        var scale = string.IsNullOrWhiteSpace(scaleText) ? 1 : double.Parse(scaleText, CultureInfo.InvariantCulture);
        var rates = settings.Rates;
        return settings with
        {
            Rates = rates with { BeforeSend = rates.BeforeSend * scale, AfterSend = rates.AfterSend * scale, DuplicateSend = rates.DuplicateSend * scale, DelaySend = rates.DelaySend * scale },
        };
    }

    /// <summary>A derived seed for one purpose, so that adding draws to one does not shift the others.</summary>
    public int SeedFor(string purpose, int index = 0)
    {
        var hash = (uint)Seed;
        foreach (var c in purpose)
        {
            hash = (hash ^ c) * 16_777_619;
        }

        return (int)((hash ^ (uint)index) * 2_654_435_761 & int.MaxValue);
    }

    /// <summary>The command that replays this run.</summary>
    public string ReplayCommand =>
        (Kinds is null ? "" : $"CHAOS_KINDS={string.Join(',', Kinds)} ") +
        (Duration > TimeSpan.Zero
            ? $"CHAOS_SEED={Seed} ./build.sh chaos --minutes {Duration.TotalMinutes.ToString(CultureInfo.InvariantCulture)}"
            : $"CHAOS_SEED={Seed} dotnet test tests/ServerlessFlow.Chaos.Tests -c Release");
}
