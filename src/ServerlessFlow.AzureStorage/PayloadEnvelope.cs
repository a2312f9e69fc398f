using ServerlessFlow.Codec;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// How encoded bytes are stored: <see cref="Prefix"/> then the codec's output. Stored JSON always starts with '{', never with a
/// zero byte, so a value without the prefix is plain (written before a codec was configured, or with none). Binary, not base64
/// inside JSON: a 2 MB payload stays about 2 MB, within one transaction.
/// </summary>
internal static class PayloadEnvelope
{
    /// <summary>Marks encoded bytes: a zero byte (no JSON starts with one) and "sfc".</summary>
    private static ReadOnlySpan<byte> Prefix => [0, (byte)'s', (byte)'f', (byte)'c'];

    /// <summary>The stored form of <paramref name="plain"/> encoded by <paramref name="codec"/>.</summary>
    public static byte[] Write(IPayloadCodec codec, ReadOnlySpan<byte> plain) => [.. Prefix, .. codec.Encode(plain)];

    /// <summary>The decoded bytes when <paramref name="stored"/> is encoded; <paramref name="stored"/> itself when it is plain.</summary>
    /// <exception cref="PayloadCodecException">It is encoded and cannot be decoded.</exception>
    public static byte[] Read(IPayloadCodec? codec, byte[] stored)
    {
        if (!stored.AsSpan().StartsWith(Prefix))
        {
            return stored;
        }

        if (codec is null)
        {
            throw new PayloadCodecException(
                "It was encoded by a payload codec, and this process has none configured. Configure the same codec and keys as the process " +
                "that wrote it (ServerlessFlow:PayloadCodec:CurrentKeyId and ServerlessFlow:PayloadCodec:Keys:{id}; see docs/security.md).");
        }

        return codec.Decode(stored.AsSpan(Prefix.Length));
    }
}
