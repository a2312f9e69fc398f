namespace ServerlessFlow.Codec;

/// <summary>
/// Turns a payload's bytes (its UTF-8 JSON) into what is stored, and back — Temporal's <c>PayloadCodec</c>. The storage
/// backend applies it to every payload it writes (inputs, results, signal and update arguments, heartbeat and failure
/// details, memo values, schedule state) and decodes on read, so callers of the client and the HTTP API see plain values.
/// <para>
/// <see cref="Decode"/> must accept everything <see cref="Encode"/> produced under any key still configured: put the key's
/// identity in the encoded bytes, so keys can rotate (encode with the current key, decode with any configured one).
/// Both run on the storage path for every row: keep them synchronous and fast (load keys at start-up, not per call).
/// </para>
/// </summary>
public interface IPayloadCodec
{
    /// <summary>Encodes a payload for storage.</summary>
    /// <param name="payload">The payload's UTF-8 JSON.</param>
    /// <returns>The bytes to store.</returns>
    byte[] Encode(ReadOnlySpan<byte> payload);

    /// <summary>Decodes what <see cref="Encode"/> produced.</summary>
    /// <param name="encoded">The stored bytes.</param>
    /// <returns>The payload's UTF-8 JSON.</returns>
    /// <exception cref="PayloadCodecException">The bytes cannot be decoded: unknown key, wrong key, or damaged data.</exception>
    byte[] Decode(ReadOnlySpan<byte> encoded);
}
