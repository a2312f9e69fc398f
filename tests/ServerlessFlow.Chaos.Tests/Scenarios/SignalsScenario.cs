using ServerlessFlow.Chaos.Worker.Workflows;

namespace ServerlessFlow.Chaos.Tests.Scenarios;

/// <summary>
/// Signals while the workers die: about half carry a request ID and are sent twice (the second a no-op), the rest
/// carry none and are sent once. The workflow must receive each exactly once, in the order sent.
/// </summary>
internal sealed class SignalsScenario : Scenario
{
    private readonly string?[] requestIds;

    public SignalsScenario(string id, int seed) : base(id, seed) =>
        requestIds = Enumerable.Range(0, Random.Next(2, 5)).Select(i => Random.NextDouble() < 0.5 ? $"{id}-signal-{i}" : null).ToArray();

    public override string WorkflowType => nameof(ChaosSignals);

    public override object? Input => requestIds.Length;

    public override IEnumerable<Expectation> Expectations => [Expectation.Completed(Id, Values().ToList())];

    public override async Task DriveAsync(ScenarioContext context)
    {
        var values = Values().ToList();
        for (var i = 0; i < values.Count; i++)
        {
            await PauseAsync(1_500);
            await context.Client.SignalWorkflowAsync(Id, "add", values[i], requestIds[i]);

            // A repeat of the last signal could reach a run that closed on the first: the repeat is sent only before another signal.
            if (requestIds[i] is not null && i < values.Count - 1)
            {
                await PauseAsync(500);
                await context.Client.SignalWorkflowAsync(Id, "add", values[i], requestIds[i]);
            }
        }
    }

    private IEnumerable<string> Values() => requestIds.Select((_, i) => $"signal-{i}");
}
