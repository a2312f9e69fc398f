using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessFlow.Codec;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// How an encoded payload sits in stored JSON: <c>{"$sf.encoded":"base64 of the codec's bytes"}</c>. A payload without it
/// is plain (written before a codec was configured, or with none). The property name is reserved: a plain payload of
/// exactly that shape would be taken for an encoded one.
/// </summary>
internal static class PayloadEnvelope
{
    /// <summary>The envelope's only property.</summary>
    public const string Property = "$sf.encoded";

    private static readonly byte[] Prefix = System.Text.Encoding.UTF8.GetBytes($"{{\"{Property}\":");

    /// <summary>The envelope of <paramref name="payload"/> encoded by <paramref name="codec"/>, as UTF-8 JSON.</summary>
    public static byte[] Write(IPayloadCodec codec, ReadOnlySpan<byte> payload)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteEncoded(writer, codec.Encode(payload));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The decoded payload when <paramref name="stored"/> is an envelope; null when it is plain JSON.</summary>
    /// <exception cref="PayloadCodecException">It is an envelope and cannot be decoded.</exception>
    public static byte[]? TryRead(IPayloadCodec? codec, byte[] stored)
    {
        if (!stored.AsSpan().StartsWith(Prefix))
        {
            return null;
        }

        using var document = JsonDocument.Parse(stored);
        return TryRead(codec, document.RootElement);
    }

    private static byte[]? TryRead(IPayloadCodec? codec, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(Property, out var data) || data.ValueKind != JsonValueKind.String
            || element.EnumerateObject().Skip(1).Any())
        {
            return null;
        }

        if (codec is null)
        {
            throw new PayloadCodecException(
                "It was encoded by a payload codec, and this process has none configured. Configure the same codec and keys as the process " +
                "that wrote it (ServerlessFlow:PayloadCodec:CurrentKeyId and ServerlessFlow:PayloadCodec:Keys:{id}; see docs/security.md).");
        }

        return codec.Decode(data.GetBytesFromBase64());
    }

    private static void WriteEncoded(Utf8JsonWriter writer, byte[] encoded)
    {
        writer.WriteStartObject();
        writer.WriteBase64String(Property, encoded);
        writer.WriteEndObject();
    }

    /// <summary>Encodes every <see cref="JsonElement"/> it writes (when a codec is given) and decodes every envelope it reads.</summary>
    internal sealed class Converter(IPayloadCodec? codec) : JsonConverter<JsonElement>
    {
        /// <inheritdoc />
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var element = JsonElement.ParseValue(ref reader);
            if (TryRead(codec, element) is not { } decoded)
            {
                return element;
            }

            using var document = JsonDocument.Parse(decoded);
            return document.RootElement.Clone();
        }

        /// <inheritdoc />
        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
        {
            if (codec is null || value.ValueKind == JsonValueKind.Null)
            {
                value.WriteTo(writer); // A null carries no data, and writing it plain keeps "no value" readable.
                return;
            }

            WriteEncoded(writer, codec.Encode(JsonSerializer.SerializeToUtf8Bytes(value, PayloadJson.Options)));
        }
    }
}
