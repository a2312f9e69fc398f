using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ServerlessFlow.Serialization;

namespace ServerlessFlow;

/// <summary>
/// The JSON settings of every payload and history event: web defaults (camelCase, case-insensitive reads). Type metadata comes
/// from source-generated contexts — the library's own for its records and common primitives, and the ones an app registers
/// (<c>UseJsonTypeInfoResolver(MyJsonContext.Default)</c>) for its payload types — and, where reflection is enabled (it is unless
/// the app is trimmed or compiled ahead of time), from reflection for any other type.
/// </summary>
public static class PayloadJson
{
    private static readonly PayloadTypeInfoResolver Resolver = new();

    /// <summary>The shared serializer options. Treat as read-only.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serializes a value to a JSON element; null stays null.</summary>
    public static JsonElement? ToElement(object? value) =>
        value is null ? null : JsonSerializer.SerializeToElement(value, Options.GetTypeInfo(value.GetType()));

    /// <summary>Reads a JSON element as <typeparamref name="T"/>; a missing element gives default.</summary>
    public static T? FromElement<T>(JsonElement? element) =>
        element is { } e && e.ValueKind != JsonValueKind.Undefined ? e.Deserialize(TypeInfo<T>()) : default;

    /// <summary>Reads a JSON element as <paramref name="type"/>; a missing element gives null.</summary>
    public static object? FromElement(JsonElement? element, Type type) =>
        element is { } e && e.ValueKind != JsonValueKind.Undefined ? e.Deserialize(Options.GetTypeInfo(type)) : null;

    /// <summary>The metadata of <typeparamref name="T"/> under <see cref="Options"/>.</summary>
    internal static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>A JSON array of the values, each written as its own run-time type (null as null).</summary>
    internal static JsonElement ArrayOf(IReadOnlyList<object?> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder }))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    JsonSerializer.Serialize(writer, value, Options.GetTypeInfo(value.GetType()));
                }
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Adds the metadata of an app's payload types (a source-generated <c>JsonSerializerContext</c>), for every host in the process.</summary>
    internal static void AddTypeInfoResolver(IJsonTypeInfoResolver resolver) => Resolver.Add(resolver);

    private static JsonSerializerOptions CreateOptions()
    {
        // Relaxed escaping: payloads are stored, never embedded in HTML, and escaping every non-ASCII
        // character as \uXXXX would make a 2 MB payload of non-Latin text several times larger.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = Resolver,
        };
        options.MakeReadOnly();
        return options;
    }
}
