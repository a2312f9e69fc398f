using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ServerlessFlow.Codec;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// The JSON form of everything stored in rows: <see cref="PayloadJson.Options"/>, as UTF-8 — and the single place where
/// payloads pass through the payload codec. Every <see cref="JsonElement"/> in a stored record is a payload (input,
/// result, argument, details, memo value) and is written as a <see cref="PayloadEnvelope"/> when a codec is configured;
/// search attributes stay plain, because the visibility index stores them as plain columns to filter on anyway.
/// </summary>
internal sealed class StoredJson
{
    /// <summary>Properties that hold search attributes (plain, see the class remarks), by declaring type and JSON name.</summary>
    private static readonly HashSet<(Type, string)> SearchAttributeProperties =
    [
        (typeof(InstanceRecord), "searchAttributes"),
        (typeof(History.WorkflowStarted), "searchAttributes"),
        (typeof(History.ChildWorkflowScheduled), "searchAttributes"),
        (typeof(History.SearchAttributesUpserted), "changes"),
    ];

    private readonly JsonSerializerOptions options;
    private readonly IPayloadCodec? codec;

    /// <summary>Creates the serializer; <paramref name="codec"/> null stores payloads as plain JSON (and refuses encoded ones on read).</summary>
    public StoredJson(IPayloadCodec? codec)
    {
        this.codec = codec;
        options = new JsonSerializerOptions(PayloadJson.Options)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { KeepSearchAttributesPlain } },
        };
        options.Converters.Add(new PayloadEnvelope.Converter(codec));
        options.MakeReadOnly();
    }

    /// <summary>Serializes <paramref name="value"/> as its declared type (so a <c>HistoryEvent</c> keeps its "kind" discriminator), encoding its payloads.</summary>
    public byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, options);

    /// <summary>Deserializes a stored value, decoding its payloads; JSON that does not parse is reported as corrupt storage, naming the row.</summary>
    /// <exception cref="PayloadCodecException">A payload of the row cannot be decoded (the message names the row).</exception>
    public T Deserialize<T>(byte[] utf8, string rowKey)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(utf8, options)
                ?? throw new StoreException($"Row '{rowKey}' holds JSON null where a {typeof(T).Name} was expected.", 0);
        }
        catch (JsonException e)
        {
            throw new StoreException($"Row '{rowKey}' holds JSON that is not a valid {typeof(T).Name}: {e.Message}", 0, inner: e);
        }
        catch (PayloadCodecException e)
        {
            throw new PayloadCodecException($"Row '{rowKey}' holds a payload that cannot be decoded. {e.Message}", e);
        }
    }

    /// <summary>A whole JSON document stored as one payload (a schedule's state): encoded when a codec is configured.</summary>
    public byte[] EncodeDocument(string json) =>
        codec is null ? Encoding.UTF8.GetBytes(json) : PayloadEnvelope.Write(codec, Encoding.UTF8.GetBytes(json));

    /// <summary>Reads what <see cref="EncodeDocument"/> stored (or a plain document stored without a codec).</summary>
    /// <exception cref="PayloadCodecException">The document is encoded and cannot be decoded (the message names the row).</exception>
    public string DecodeDocument(byte[] stored, string rowKey)
    {
        try
        {
            return Encoding.UTF8.GetString(PayloadEnvelope.TryRead(codec, stored) ?? stored);
        }
        catch (PayloadCodecException e)
        {
            throw new PayloadCodecException($"Row '{rowKey}' holds a payload that cannot be decoded. {e.Message}", e);
        }
    }

    private static void KeepSearchAttributesPlain(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (SearchAttributeProperties.Contains((type.Type, property.Name)))
            {
                property.CustomConverter = (System.Text.Json.Serialization.JsonConverter)Activator.CreateInstance(typeof(PlainJsonConverter<>).MakeGenericType(property.PropertyType))!;
            }
        }
    }
}
