using ServerlessFlow.Chaos.Worker.Workflows;

namespace ServerlessFlow.Chaos.Tests.Scenarios;

/// <summary>Activities in sequence, one of them failing its first attempts in 40% of the runs.</summary>
internal sealed class SequenceScenario : Scenario
{
    private readonly SequenceInput input;

    public SequenceScenario(string id, int seed) : base(id, seed)
    {
        var steps = Random.Next(2, 5);
        input = new SequenceInput(steps, Random.NextDouble() < 0.4 ? Random.Next(steps) : -1, Random.Next(1, 3), Random.Next(0, 150));
    }

    public override string WorkflowType => nameof(ChaosSequence);

    public override object? Input => input;

    public override IEnumerable<Expectation> Expectations => [Expectation.Completed(Id, Results(input))];

    /// <summary>What <see cref="ChaosSequence"/> returns for <paramref name="input"/>.</summary>
    public static List<string> Results(SequenceInput input) => Enumerable.Range(0, input.Steps).Select(i => $"step-{i}").ToList();
}

/// <summary>Parallel activities from one workflow task.</summary>
internal sealed class FanOutScenario : Scenario
{
    private readonly FanOutInput input;

    public FanOutScenario(string id, int seed) : base(id, seed) => input = new FanOutInput(Random.Next(3, 9), Random.Next(0, 300));

    public override string WorkflowType => nameof(ChaosFanOut);

    public override object? Input => input;

    public override IEnumerable<Expectation> Expectations =>
        [Expectation.Completed(Id, Enumerable.Range(0, input.Width).Select(i => $"branch-{i}").ToArray())];
}

/// <summary>Durable timers of 0.2–2.5 s, each followed by an activity, then a condition that times out.</summary>
internal sealed class TimersScenario : Scenario
{
    private readonly int[] delaysMs;

    public TimersScenario(string id, int seed) : base(id, seed) =>
        delaysMs = Enumerable.Range(0, Random.Next(1, 3)).Select(_ => Random.Next(200, 2_500)).ToArray();

    public override string WorkflowType => nameof(ChaosTimers);

    public override object? Input => delaysMs;

    public override IEnumerable<Expectation> Expectations =>
        [Expectation.Completed(Id, Enumerable.Range(0, delaysMs.Length).Select(i => $"timer-{i}").Append("timed-out").ToList())];
}
