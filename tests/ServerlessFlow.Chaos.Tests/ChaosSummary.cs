using System.Globalization;
using System.Text;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>What a chaos run did: workflows by end state, kills, injected faults by kind, activity executions, and the violations found.</summary>
internal sealed record ChaosSummary(
    ChaosSettings Settings, TimeSpan Elapsed, int Rounds, int Scenarios, IReadOnlyList<InstanceRecord> Instances, int Kills, int Incarnations,
    IReadOnlyDictionary<FaultTiming, int> Faults, ExecutionJournals Executions, Violations Violations)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Chaos run, seed {Settings.Seed} (replay: {Settings.ReplayCommand})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  elapsed {Elapsed.TotalSeconds:F0} s, {Rounds} round(s), {Settings.Workers} worker slots");
        var statuses = string.Join(", ", Instances.GroupBy(i => i.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        text.AppendLine(CultureInfo.InvariantCulture, $"  workflows: {Instances.Count} in storage ({Scenarios} started by the driver, the rest children and scheduled runs); by status: {statuses}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  kills: {Kills} (SIGKILL{(Settings.Kills ? "" : "; turned off")}), worker incarnations: {Incarnations}; fault rates: {Settings.Rates}");
        text.AppendLine("  injected faults: " + string.Join(", ", Enum.GetValues<FaultTiming>().Select(t => $"{t} {Faults.GetValueOrDefault(t)}")));
        text.AppendLine(CultureInfo.InvariantCulture, $"  activity executions: {Executions.Count}, of which in flight at a kill: {Executions.InFlightAtKill}");
        text.Append(Violations.Count == 0
            ? "  invariants: all held"
            : $"  invariants broken: {Violations.Count} ({string.Join(", ", Violations.ByInvariant().Select(p => $"{p.Key} ×{p.Value}"))})");
        return text.ToString();
    }
}
