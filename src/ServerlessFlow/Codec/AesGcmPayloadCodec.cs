using System.Security.Cryptography;
using System.Text;

namespace ServerlessFlow.Codec;

/// <summary>
/// Encrypts payloads with AES-GCM (authenticated: a changed byte fails decoding instead of yielding other data). An encoded
/// payload is <c>[format 1][key ID length][key ID][12-byte nonce][16-byte tag][ciphertext]</c>; the header is authenticated
/// with the ciphertext, so the key ID cannot be swapped. New payloads use <see cref="AesGcmPayloadCodecOptions.CurrentKeyId"/>;
/// any configured key decodes, which is how keys rotate.
/// </summary>
public sealed class AesGcmPayloadCodec : IPayloadCodec
{
    private const byte FormatVersion = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly Dictionary<string, byte[]> keys;
    private readonly string currentKeyId;
    private readonly byte[] currentHeader;

    /// <summary>Creates the codec.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message says how to fix them.</exception>
    public AesGcmPayloadCodec(AesGcmPayloadCodecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        keys = options.Keys.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        currentKeyId = options.CurrentKeyId;
        currentHeader = Header(currentKeyId);
    }

    /// <summary>The ID of the key new payloads are encoded with.</summary>
    public string CurrentKeyId => currentKeyId;

    /// <inheritdoc />
    public byte[] Encode(ReadOnlySpan<byte> payload)
    {
        var header = currentHeader;
        var encoded = new byte[header.Length + NonceBytes + TagBytes + payload.Length];
        header.CopyTo(encoded, 0);
        var nonce = encoded.AsSpan(header.Length, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys[currentKeyId], TagBytes);
        aes.Encrypt(nonce, payload, encoded.AsSpan(header.Length + NonceBytes + TagBytes), encoded.AsSpan(header.Length + NonceBytes, TagBytes), header);
        return encoded;
    }

    /// <inheritdoc />
    public byte[] Decode(ReadOnlySpan<byte> encoded)
    {
        var keyId = ReadKeyId(encoded, out var headerLength);
        if (!keys.TryGetValue(keyId, out var key))
        {
            throw new PayloadCodecException(
                $"The payload was encoded with key '{keyId}', which is not among this process's payload keys ({string.Join(", ", keys.Keys.Select(k => $"'{k}'"))}). " +
                "Add that key to the configuration (keep old keys as long as data encoded with them is kept).");
        }

        if (encoded.Length < headerLength + NonceBytes + TagBytes)
        {
            throw Damaged($"it is {encoded.Length} bytes, shorter than its header, nonce and tag");
        }

        var plaintext = new byte[encoded.Length - headerLength - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(
                encoded.Slice(headerLength, NonceBytes), encoded[(headerLength + NonceBytes + TagBytes)..],
                encoded.Slice(headerLength + NonceBytes, TagBytes), plaintext, encoded[..headerLength]);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new PayloadCodecException(
                $"The payload encoded with key '{keyId}' does not decrypt with the configured key of that ID: the key material differs from the one " +
                "that encoded it (or the stored bytes were changed). Configure the original key under that ID; give a new key a new ID.", e);
        }

        return plaintext;
    }

    private static byte[] Header(string keyId)
    {
        var id = Encoding.ASCII.GetBytes(keyId);
        return [FormatVersion, (byte)id.Length, .. id];
    }

    private static string ReadKeyId(ReadOnlySpan<byte> encoded, out int headerLength)
    {
        if (encoded.Length < 2 || encoded[0] != FormatVersion)
        {
            throw Damaged(encoded.Length < 2 ? "it is too short" : $"its format byte is {encoded[0]}, not {FormatVersion}");
        }

        headerLength = 2 + encoded[1];
        if (encoded.Length < headerLength)
        {
            throw Damaged("it ends inside its key ID");
        }

        var keyId = Encoding.ASCII.GetString(encoded.Slice(2, encoded[1]));
        return AesGcmPayloadCodecOptions.IsValidKeyId(keyId) ? keyId : throw Damaged("its key ID is not valid");
    }

    private static PayloadCodecException Damaged(string problem) =>
        new($"The stored payload is not an AES-GCM payload of this codec ({problem}): it is damaged, or another codec encoded it.");
}
