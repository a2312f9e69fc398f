using System.Text.Json;

namespace ServerlessFlow.History;

/// <summary>
/// One run's recorded history as <c>GET /api/workflows/{id}/history</c> returns it (<c>{"id": …, "events": […]}</c>):
/// save it to a file, commit it, and replay it against changed code with the replayer.
/// </summary>
/// <param name="Id">The workflow ID.</param>
/// <param name="Events">The events, oldest first.</param>
public sealed record WorkflowHistory(string Id, IReadOnlyList<HistoryEvent> Events)
{
    /// <summary>The workflow ID given to a history read from a bare event array, which names none.</summary>
    public const string UnnamedId = "replay";

    /// <summary>
    /// Reads a history from JSON: the history endpoint's body (<c>{"id", "events"}</c>), or a bare array of events.
    /// </summary>
    /// <exception cref="JsonException">The text is neither shape, or an event is malformed.</exception>
    public static WorkflowHistory FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.Array => new WorkflowHistory(UnnamedId, document.RootElement.Deserialize(PayloadJson.TypeInfo<List<HistoryEvent>>())!),
            JsonValueKind.Object => document.RootElement.Deserialize(PayloadJson.TypeInfo<WorkflowHistory>()) is { Events: not null } history
                ? history
                : throw new JsonException("A workflow history object needs an \"events\" array (the body of GET /api/workflows/{id}/history)."),
            _ => throw new JsonException("A workflow history is a JSON object with \"id\" and \"events\", or an array of events."),
        };
    }

    /// <summary>Reads a history from a file written by <see cref="ToJson"/> or saved from the history endpoint.</summary>
    public static async Task<WorkflowHistory> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        FromJson(await File.ReadAllTextAsync(path, cancellationToken));

    /// <summary>The history as the history endpoint writes it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, PayloadJson.TypeInfo<WorkflowHistory>());
}
