namespace ServerlessFlow.Engine.Replay;

/// <summary>What a <see cref="WorkflowReplayer"/> replays against: the workflow classes (the code under test) and the registrations they rely on.</summary>
public sealed record WorkflowReplayerOptions
{
    /// <summary>Workflow classes (marked [Workflow]); a history is replayed by the class registered under its workflow type.</summary>
    public IReadOnlyList<Type> Workflows { get; init; } = [];

    /// <summary>Search attributes the workflows upsert, registered as in <see cref="ServerlessFlowBuilder.AddSearchAttribute"/>.</summary>
    public IReadOnlyDictionary<string, SearchAttributeType> SearchAttributes { get; init; } = new Dictionary<string, SearchAttributeType>();
}
