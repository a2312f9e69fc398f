using System.Text.Json;
using ServerlessFlow.History;

namespace ServerlessFlow.Chaos.Tests.Scenarios;

/// <summary>How a workflow the driver knows of must end: its status and, for a completed one, its result.</summary>
/// <param name="WorkflowId">The workflow.</param>
/// <param name="Status">The status it must end in.</param>
/// <param name="Result">Its result as JSON, when completed; null when the status says all.</param>
internal sealed record Expectation(string WorkflowId, WorkflowStatus Status, JsonElement? Result)
{
    public static Expectation Completed(string workflowId, object? result) => new(workflowId, WorkflowStatus.Completed, PayloadJson.ToElement(result));
}

/// <summary>What drivers share: the un-faulted client, where violations go, and when the round's time is up.</summary>
internal sealed record ScenarioContext(IWorkflowClient Client, Violations Violations, DateTimeOffset Deadline)
{
    /// <summary>How often a driver polls another process's progress.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public TimeSpan Remaining => Deadline - DateTimeOffset.UtcNow;
}

/// <summary>
/// One workflow of the mix: what to start, what the driver does to it while it runs (signals, updates, cancels),
/// and how it and the workflows it makes must end. Its random numbers come from its own seed.
/// </summary>
internal abstract class Scenario(string id, int seed)
{
    public string Id { get; } = id;

    /// <summary>The workflow type to start.</summary>
    public abstract string WorkflowType { get; }

    /// <summary>The start input.</summary>
    public abstract object? Input { get; }

    /// <summary>How every workflow the scenario knows by ID must end.</summary>
    public abstract IEnumerable<Expectation> Expectations { get; }

    /// <summary>Draws this scenario's choices.</summary>
    protected Random Random { get; } = new(seed);

    /// <summary>Acts on the running workflow; violations it sees are recorded, not thrown.</summary>
    public virtual Task DriveAsync(ScenarioContext context) => Task.CompletedTask;

    /// <summary>Checks what only this scenario knows about the current run's history of <see cref="Id"/>.</summary>
    public virtual void CheckHistory(IReadOnlyList<HistoryEvent> history, Violations violations)
    {
    }

    /// <summary>A seeded pause between two driver actions, so that they land at different stages of the run.</summary>
    protected Task PauseAsync(int maxMs) => Task.Delay(Random.Next(maxMs));
}
