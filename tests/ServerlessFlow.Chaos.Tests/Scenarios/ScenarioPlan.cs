namespace ServerlessFlow.Chaos.Tests.Scenarios;

/// <summary>
/// The mix of one round, drawn from the seed: how many of each kind, in a shuffled start order. About 200 top-level
/// workflows, which with their children (about 100) and the schedule's runs make well over 300.
/// </summary>
internal static class ScenarioPlan
{
    /// <summary>Each kind and how many of it a round starts.</summary>
    private static readonly (string Kind, int Count, Func<string, int, Scenario> Create)[] Mix =
    [
        ("seq", 60, (id, seed) => new SequenceScenario(id, seed)),
        ("fan", 15, (id, seed) => new FanOutScenario(id, seed)),
        ("timer", 30, (id, seed) => new TimersScenario(id, seed)),
        ("signal", 30, (id, seed) => new SignalsScenario(id, seed)),
        ("update", 20, (id, seed) => new UpdatesScenario(id, seed)),
        ("parent", 12, (id, seed) => new ParentScenario(id, seed)),
        ("can", 15, (id, seed) => new ContinueScenario(id, seed)),
        ("cancel", 20, (id, seed) => new CancelScenario(id, seed)),
    ];

    /// <summary>The scenarios of round <paramref name="round"/>, IDs "r{round}-{kind}-{n}", shuffled by the seed (only <see cref="ChaosSettings.Kinds"/> when set).</summary>
    public static IReadOnlyList<Scenario> Create(ChaosSettings settings, int round)
    {
        var random = new Random(settings.SeedFor("plan", round));
        var scenarios = Mix
            .SelectMany(kind => Enumerable.Range(0, kind.Count).Select(n => (kind.Kind, Scenario: kind.Create($"r{round}-{kind.Kind}-{n}", random.Next()))))
            .ToArray()
            .Where(drawn => settings.Kinds?.Contains(drawn.Kind) ?? true) // after the draws, so that a narrowed mix replays the same workflows
            .Select(drawn => drawn.Scenario)
            .ToArray();
        random.Shuffle(scenarios);
        return scenarios;
    }
}
