using System.Text.Json;

namespace ServerlessFlow.Engine.Client;

/// <summary>Payload size rules shared by every entry point.</summary>
internal static class PayloadLimits
{
    /// <summary>Largest input or result: Temporal's 2 MB limit, which users already design for.</summary>
    public const int MaxPayloadBytes = 2 * 1024 * 1024;

    /// <summary>A JSON null: what a memo entry whose value is null stores.</summary>
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>Largest memo, as JSON: it is stored in the first history event and read by every describe.</summary>
    public const int MaxMemoBytes = 64 * 1024;

    /// <summary>The memo as JSON values; null when none was given.</summary>
    public static IReadOnlyDictionary<string, JsonElement>? CheckMemo(IReadOnlyDictionary<string, object?>? memo)
    {
        if (memo is null || memo.Count == 0)
        {
            return null;
        }

        var values = memo.ToDictionary(m => m.Key, m => PayloadJson.ToElement(m.Value) ?? JsonNull, StringComparer.Ordinal);
        var size = JsonSerializer.SerializeToUtf8Bytes(values, Serialization.EngineJson.Elements).Length;
        return size <= MaxMemoBytes
            ? values
            : throw new InvalidWorkflowRequestException($"The memo is {size} bytes as JSON, over the {MaxMemoBytes / 1024} KiB limit. Keep large data elsewhere and put a reference in the memo.");
    }

    public static JsonElement? Check(JsonElement? payload, string what)
    {
        if (payload is { } value && value.GetRawText().Length > MaxPayloadBytes)
        {
            throw new InvalidWorkflowRequestException($"The {what} is larger than the {MaxPayloadBytes / (1024 * 1024)} MB limit. Store large data elsewhere (e.g. a blob) and pass a reference.");
        }

        return payload;
    }
}
