namespace ServerlessFlow.Codec;

/// <summary>The keys of <see cref="AesGcmPayloadCodec"/>.</summary>
public sealed record AesGcmPayloadCodecOptions
{
    /// <summary>Longest key ID: it is stored in every encoded payload.</summary>
    public const int MaxKeyIdLength = 64;

    /// <summary>The ID of the key new payloads are encoded with; must be one of <see cref="Keys"/>.</summary>
    public required string CurrentKeyId { get; init; }

    /// <summary>
    /// Every key payloads may have been encoded with, by ID (letters, digits, '-', '_' and '.'; IDs are case-sensitive):
    /// 16, 24 or 32 bytes each (AES-128, -192, -256).
    /// <para>WARNING: removing a key that stored payloads were encoded with makes those workflows' tasks fail until it is added back.
    /// To rotate, add the new key, make it current, and keep the old one as long as data encoded with it is retained.</para>
    /// </summary>
    public required IReadOnlyDictionary<string, byte[]> Keys { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem and the fix when the options cannot be used.</summary>
    public void Validate()
    {
        if (Keys is null || Keys.Count == 0)
        {
            throw new ArgumentException("AesGcmPayloadCodecOptions.Keys is empty: give at least the current key (16, 24 or 32 random bytes).");
        }

        foreach (var (id, key) in Keys)
        {
            if (!IsValidKeyId(id))
            {
                throw new ArgumentException($"Payload key ID '{id}' is invalid: use 1 to {MaxKeyIdLength} letters, digits, '-', '_' or '.'.");
            }

            if (key is not { Length: 16 or 24 or 32 })
            {
                throw new ArgumentException($"Payload key '{id}' is {key?.Length ?? 0} bytes; AES-GCM takes 16, 24 or 32 (32 recommended: e.g. 'openssl rand -base64 32').");
            }
        }

        if (CurrentKeyId is null || !Keys.ContainsKey(CurrentKeyId))
        {
            throw new ArgumentException(
                $"The current payload key ID '{CurrentKeyId}' is not among the configured keys ({string.Join(", ", Keys.Keys.Select(k => $"'{k}'"))}): add that key or name one of them.");
        }
    }

    /// <summary>True when <paramref name="id"/> can name a key.</summary>
    public static bool IsValidKeyId(string? id) =>
        id is { Length: > 0 and <= MaxKeyIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
