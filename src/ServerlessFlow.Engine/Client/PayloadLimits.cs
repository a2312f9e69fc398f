using System.Text.Json;

namespace ServerlessFlow.Engine.Client;

/// <summary>Payload size rules shared by every entry point.</summary>
internal static class PayloadLimits
{
    /// <summary>Largest input or result: Temporal's 2 MB limit, which users already design for.</summary>
    public const int MaxPayloadBytes = 2 * 1024 * 1024;

    public static JsonElement? Check(JsonElement? payload, string what)
    {
        if (payload is { } value && value.GetRawText().Length > MaxPayloadBytes)
        {
            throw new InvalidWorkflowRequestException($"The {what} is larger than the {MaxPayloadBytes / (1024 * 1024)} MB limit. Store large data elsewhere (e.g. a blob) and pass a reference.");
        }

        return payload;
    }
}
