using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.History;

/// <summary>
/// A local activity ran inside the workflow task that recorded this marker: its result, or its failure after the attempts the
/// task made. On replay the marker's outcome is used and the activity does not run again.
/// </summary>
public sealed record LocalActivityMarkerRecorded : HistoryEvent
{
    /// <summary>The activity name.</summary>
    public required string ActivityName { get; init; }

    /// <summary>The last attempt run (attempts continue across a back-off timer).</summary>
    public required int Attempt { get; init; }

    /// <summary>The result as JSON when it completed; null for activities that return nothing.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>The last attempt's failure; null when it completed.</summary>
    public FailureInfo? Failure { get; init; }

    /// <summary>Set when the failure is retried after a durable timer of this length (longer than the local retry threshold).</summary>
    public TimeSpan? Backoff { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => $"LocalActivityMarkerRecorded '{ActivityName}'";
}
