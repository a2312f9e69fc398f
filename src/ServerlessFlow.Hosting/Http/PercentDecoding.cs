using System.Text;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// Strict percent-decoding of URL parts. Unlike the lenient decoders (which keep a malformed escape as
/// text, or turn invalid UTF-8 into U+FFFD) it refuses anything ambiguous, because two distinct
/// encodings that decode to the same text would make two workflow IDs collide.
/// </summary>
internal static class PercentDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="text"/>; null when an escape is malformed or the bytes are not UTF-8.</summary>
    /// <param name="text">A path segment or a query-string key or value, as sent.</param>
    /// <param name="plusIsSpace">True for query strings (form encoding), where '+' stands for a space.</param>
    public static string? TryDecode(string text, bool plusIsSpace)
    {
        if (text.IndexOf('%') < 0 && !(plusIsSpace && text.Contains('+', StringComparison.Ordinal)))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
                {
                    return null;
                }

                bytes.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return null;
                }

                var written = new Rune(c, text[++i]).EncodeToUtf8(utf8);
                bytes.AddRange(utf8[..written]);
            }
            else
            {
                var written = new Rune(c).EncodeToUtf8(utf8);
                bytes.AddRange(utf8[..written]);
            }
        }

        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
