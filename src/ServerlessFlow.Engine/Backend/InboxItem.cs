using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// Something a producer (an activity worker, a signaller, a canceller …) hands to a workflow. Its
/// <see cref="Key"/> is deterministic, so inserting the same item twice is a no-op; a workflow task
/// turns it into <see cref="Event"/> in history and deletes the row in the same commit.
/// </summary>
public sealed record InboxItem
{
    /// <summary>Unique within the workflow and deterministic for the thing it reports (e.g. "a-{runId}-{scheduledEventId}").</summary>
    public required string Key { get; init; }

    /// <summary>The run it is meant for; items for another run are discarded.</summary>
    public required string RunId { get; init; }

    /// <summary>The event to append (its EventId and Timestamp are assigned when it is consumed).</summary>
    public required HistoryEvent Event { get; init; }

    /// <summary>When the item was produced.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The inbox key of an activity's outcome.</summary>
    public static string ActivityKey(string runId, long scheduledEventId) => $"a-{runId}-{scheduledEventId}";
}
