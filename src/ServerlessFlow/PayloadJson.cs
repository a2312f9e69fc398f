using System.Text.Json;

namespace ServerlessFlow;

/// <summary>The JSON settings of every payload and history event: web defaults (camelCase, case-insensitive reads).</summary>
public static class PayloadJson
{
    /// <summary>The shared serializer options. Treat as read-only.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serializes a value to a JSON element; null stays null.</summary>
    public static JsonElement? ToElement(object? value) =>
        value is null ? null : JsonSerializer.SerializeToElement(value, value.GetType(), Options);

    /// <summary>Reads a JSON element as <typeparamref name="T"/>; a missing element gives default.</summary>
    public static T? FromElement<T>(JsonElement? element) =>
        element is { } e && e.ValueKind != JsonValueKind.Undefined ? e.Deserialize<T>(Options) : default;

    /// <summary>Reads a JSON element as <paramref name="type"/>; a missing element gives null.</summary>
    public static object? FromElement(JsonElement? element, Type type) =>
        element is { } e && e.ValueKind != JsonValueKind.Undefined ? e.Deserialize(type, Options) : null;

    private static JsonSerializerOptions CreateOptions()
    {
        // Relaxed escaping: payloads are stored, never embedded in HTML, and escaping every non-ASCII
        // character as \uXXXX would make a 2 MB payload of non-Latin text several times larger.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
