using ServerlessFlow.Chaos.Worker.Workflows;

namespace ServerlessFlow.Chaos.Tests.Scenarios;

/// <summary>Two or three runs chained by continue-as-new, each with an activity and a child under the default child ID.</summary>
internal sealed class ContinueScenario : Scenario
{
    private readonly int last;

    public ContinueScenario(string id, int seed) : base(id, seed) => last = Random.Next(1, 3);

    public override string WorkflowType => nameof(ChaosContinue);

    public override object? Input => new ContinueInput(0, last, 0);

    public override IEnumerable<Expectation> Expectations => [Expectation.Completed(Id, ChaosContinue.ExpectedTotal(last))];
}
