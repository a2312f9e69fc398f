using ServerlessFlow.Chaos.Worker.Workflows;
using ServerlessFlow.History;

namespace ServerlessFlow.Chaos.Tests.Scenarios;

/// <summary>
/// A workflow canceled at a random moment (sometimes before its first task runs), sometimes twice: it runs its
/// cleanup activity and ends Canceled, with one cancel request in history.
/// </summary>
internal sealed class CancelScenario(string id, int seed) : Scenario(id, seed)
{
    public override string WorkflowType => nameof(ChaosCancellable);

    public override object? Input => null;

    public override IEnumerable<Expectation> Expectations => [new Expectation(Id, WorkflowStatus.Canceled, null)];

    public override void CheckHistory(IReadOnlyList<HistoryEvent> history, Violations violations)
    {
        var requests = history.OfType<WorkflowCancelRequested>().Count();
        if (requests != 1)
        {
            violations.Add(Id, "one cancel request recorded", $"history holds {requests} WorkflowCancelRequested events");
        }

        if (!history.OfType<ActivityCompleted>().Any(c => c.Result is { ValueKind: System.Text.Json.JsonValueKind.String } r && r.GetString() == "cleanup"))
        {
            violations.Add(Id, "cleanup ran after cancel", "no ActivityCompleted with the result \"cleanup\" in history");
        }
    }

    public override async Task DriveAsync(ScenarioContext context)
    {
        await PauseAsync(6_000);
        if (!await context.Client.CancelWorkflowAsync(Id, "chaos"))
        {
            context.Violations.Add(Id, "cancel reaches an open run", "the first cancel request found the run already closed");
        }

        if (Random.NextDouble() < 0.4)
        {
            await PauseAsync(1_000);
            await context.Client.CancelWorkflowAsync(Id, "chaos again");
        }
    }
}
