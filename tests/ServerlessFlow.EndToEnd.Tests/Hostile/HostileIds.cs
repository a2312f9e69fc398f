using System.Text;

namespace ServerlessFlow.EndToEnd.Tests.Hostile;

/// <summary>An identifier as it travels in a URL: its percent-encoded form, and the text it stands for when that is valid.</summary>
/// <param name="Label">What trick it plays, for failure messages.</param>
/// <param name="Encoded">Its percent-encoded form, ready for a path segment or a query value.</param>
/// <param name="Text">The identifier it decodes to; null when it is refused (its decoding is not text the API accepts).</param>
internal sealed record HostileId(string Label, string Encoded, string? Text)
{
    public bool Valid => Text is not null;
}

/// <summary>
/// Identifiers of every escaping trick and Unicode class (issue 11): the ones the API must accept and keep apart, and the ones it
/// must refuse with 400 before anything is written.
/// </summary>
internal static class HostileIds
{
    /// <summary>The API's longest identifier (WorkflowIds.MaxLength).</summary>
    public const int MaxLength = 256;

    /// <summary>The longest workflow ID once escaped for table keys (KeyEscaping: <c>/</c> becomes <c>^2F</c>, three characters).</summary>
    public const int MaxEscapedLength = 512;

    /// <summary>Accepted identifiers: each must round-trip exactly and never show another's data. <paramref name="stem"/> keeps runs apart.</summary>
    public static IReadOnlyList<HostileId> Accepted(string stem) =>
    [
        Valid("slash", stem + "/a/b"),
        Valid("encoded slash as text", stem + "%2Fa"),
        Valid("backslash", stem + "\\a"),
        Valid("hash and question mark", stem + "#1?x=1&y=2"),
        Valid("percent", stem + "50%"),
        Valid("plus and space", stem + "a+b c"),
        Valid("quotes", stem + "'\"`"),
        Valid("OData operators", stem + "' or PartitionKey ne '"),
        Valid("dots inside", stem + "..a.."),
        Valid("bidi controls", stem + "\u202Eabc\u202C\u200F\u2066x\u2069"),
        Valid("combining marks", stem + "e\u0301\u0301\u0301"),
        Valid("zero-width and BOM", stem + "\u200B\u200D\uFEFF"),
        Valid("astral", stem + "\U0001F600\U0001D518\U00020000"),
        Valid("last valid astral", stem + "\U0010FFFD"),
        Valid("replacement character", stem + "\uFFFD"),
        Valid("NFC vs NFD twin (NFC)", stem + "\u00E9"),
        Valid("NFC vs NFD twin (NFD)", stem + "e\u0301"),
        Valid("case twin (lower)", stem + "case"),
        Valid("case twin (upper)", stem + "CASE"),
        Valid("escaped key of slashes at the limit", AtEscapedLimit(stem, '/', over: 0)),
        Valid("escaped key of quotes at the limit", AtEscapedLimit(stem, '\'', over: 0)),
        Valid("max length of combining marks", Pad(stem, '\u0301')),
        Valid("max length of astral pairs", PadAstral(stem)),
        Valid("max length of key-escape characters", Pad(stem, '\u007E')),
    ];

    /// <summary>Refused identifiers: every one is a 400 on every route that takes it. Their bytes are given encoded, since some are not text.</summary>
    public static IReadOnlyList<HostileId> Refused(string stem) =>
    [
        Invalid("NUL", stem + "%00"),
        Invalid("tab", stem + "%09"),
        Invalid("line feed", stem + "%0A"),
        Invalid("carriage return", stem + "%0D"),
        Invalid("unit separator", stem + "%1F"),
        Invalid("DEL", stem + "%7F"),
        Invalid("C1 NEL", stem + "%C2%85"),
        Invalid("C1 CSI", stem + "%C2%9B"),
        Invalid("line separator", stem + "%E2%80%A8"),
        Invalid("paragraph separator", stem + "%E2%80%A9"),
        Invalid("lone high surrogate as UTF-8", stem + "%ED%A0%80"),
        Invalid("lone low surrogate as UTF-8", stem + "%ED%B0%80"),
        Invalid("noncharacter U+FFFE", stem + "%EF%BF%BE"),
        Invalid("noncharacter U+FFFF", stem + "%EF%BF%BF"),
        Invalid("noncharacter U+FDD0", stem + "%EF%B7%90"),
        Invalid("noncharacter U+1FFFE", stem + "%F0%9F%BF%BE"),
        Invalid("noncharacter U+10FFFF", stem + "%F4%8F%BF%BF"),
        Invalid("invalid UTF-8 byte", stem + "%FF"),
        Invalid("overlong slash", stem + "%C0%AF"),
        Invalid("truncated sequence", stem + "%E2%80"),
        Invalid("one over max length", stem + new string('a', MaxLength + 1 - stem.Length)),
        Invalid("max length of slashes plus one", Encode(Pad(stem, '/') + "/")),
        Invalid("max length of slashes", Encode(Pad(stem, '/'))),
        Invalid("max length of percents", Encode(Pad(stem, '%'))),
        Invalid("max length of hashes", Encode(Pad(stem, '#'))),
        Invalid("escaped key of slashes one over the limit", Encode(AtEscapedLimit(stem, '/', over: 1))),
        Invalid("escaped key of pipes one over the limit", Encode(AtEscapedLimit(stem, '|', over: 1))),
    ];

    /// <summary>Encodes every character of <paramref name="text"/> that is not unreserved, as UTF-8 percent escapes.</summary>
    public static string Encode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static HostileId Valid(string label, string text) => new(label, Encode(text), text);

    private static HostileId Invalid(string label, string encoded) => new(label, encoded, null);

    private static string Pad(string stem, char filler) => stem + new string(filler, MaxLength - stem.Length);

    /// <summary>The stem, then escaped characters and plain ones, escaping to exactly <see cref="MaxEscapedLength"/> plus <paramref name="over"/>.</summary>
    private static string AtEscapedLimit(string stem, char escaped, int over)
    {
        var room = MaxEscapedLength - stem.Length;
        return stem + new string(escaped, room / 3) + new string('a', (room % 3) + over);
    }

    private static string PadAstral(string stem)
    {
        var pairs = (MaxLength - stem.Length) / 2;
        return stem + string.Concat(Enumerable.Repeat("\U0001F4A9", pairs)) + new string('z', MaxLength - stem.Length - (pairs * 2));
    }
}
