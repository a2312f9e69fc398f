using System.Text;
using System.Text.Json;
using ServerlessFlow.Codec;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// The JSON form of everything stored in rows: <see cref="PayloadJson.Options"/>, as UTF-8 — and the single place where the
/// payload codec is applied. The records that carry payloads (history events, inbox items, activity rows, schedule state)
/// are encoded whole when a codec is configured; the instance row is not (<see cref="SerializePlain"/>): it holds no payload
/// (its search attributes are indexed in plain columns anyway), so status, task failure and outbox stay readable by a
/// process without the key — which is how such a process can report that it lacks it.
/// </summary>
internal sealed class StoredJson(IPayloadCodec? codec)
{
    /// <summary>Serializes <paramref name="value"/> as its declared type (so a <c>HistoryEvent</c> keeps its "kind" discriminator), encoded when a codec is configured.</summary>
    public byte[] Serialize<T>(T value)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, PayloadJson.Options);
        return codec is null ? json : PayloadEnvelope.Write(codec, json);
    }

    /// <summary>Serializes a record that holds no payload, never encoded.</summary>
    public static byte[] SerializePlain<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, PayloadJson.Options);

    /// <summary>Deserializes a stored value (encoded or plain); JSON that does not parse is reported as corrupt storage, naming the row.</summary>
    /// <exception cref="PayloadCodecException">The row is encoded and cannot be decoded (the message names the row).</exception>
    public T Deserialize<T>(byte[] stored, string rowKey)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Decode(stored, rowKey), PayloadJson.Options)
                ?? throw new StoreException($"Row '{rowKey}' holds JSON null where a {typeof(T).Name} was expected.", 0);
        }
        catch (JsonException e)
        {
            throw new StoreException($"Row '{rowKey}' holds JSON that is not a valid {typeof(T).Name}: {e.Message}", 0, inner: e);
        }
    }

    /// <summary>A JSON document stored as one payload (a schedule's state): encoded when a codec is configured.</summary>
    public byte[] EncodeDocument(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        return codec is null ? utf8 : PayloadEnvelope.Write(codec, utf8);
    }

    /// <summary>Reads what <see cref="EncodeDocument"/> stored (or a plain document stored without a codec).</summary>
    /// <exception cref="PayloadCodecException">The document is encoded and cannot be decoded (the message names the row).</exception>
    public string DecodeDocument(byte[] stored, string rowKey) => Encoding.UTF8.GetString(Decode(stored, rowKey));

    private byte[] Decode(byte[] stored, string rowKey)
    {
        try
        {
            return PayloadEnvelope.Read(codec, stored);
        }
        catch (PayloadCodecException e)
        {
            throw new PayloadCodecException($"Row '{rowKey}' holds a payload that cannot be decoded. {e.Message}", e);
        }
    }
}
