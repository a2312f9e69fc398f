using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.AzureStorage;

/// <summary>Writes and reads a value with <see cref="PayloadJson.Options"/> alone: no payload codec (search attributes, see <see cref="StoredJson"/>).</summary>
internal sealed class PlainJsonConverter<T> : JsonConverter<T>
{
    /// <inheritdoc />
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<T>(ref reader, PayloadJson.Options);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, PayloadJson.Options);
}
