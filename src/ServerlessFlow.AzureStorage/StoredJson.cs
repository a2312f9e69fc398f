using System.Text.Json;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>The JSON form of everything stored in rows: <see cref="PayloadJson.Options"/>, as UTF-8.</summary>
internal static class StoredJson
{
    /// <summary>Serializes <paramref name="value"/> as its declared type (so a <c>HistoryEvent</c> keeps its "kind" discriminator).</summary>
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, PayloadJson.Options);

    /// <summary>Deserializes a stored value; a payload that does not parse is reported as corrupt storage, naming the row.</summary>
    public static T Deserialize<T>(byte[] utf8, string rowKey)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(utf8, PayloadJson.Options)
                ?? throw new StoreException($"Row '{rowKey}' holds JSON null where a {typeof(T).Name} was expected.", 0);
        }
        catch (JsonException e)
        {
            throw new StoreException($"Row '{rowKey}' holds JSON that is not a valid {typeof(T).Name}: {e.Message}", 0, inner: e);
        }
    }
}
