using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// A search attribute value in its stored form — string (Keyword), long (Int), double (Double), bool (Bool),
/// DateTimeOffset in UTC (Datetime) — with the column type it maps to and its text in index keys.
/// </summary>
internal sealed partial class SearchAttributeValue
{
    /// <summary>Prefix of the column holding an attribute: <c>sa_{Name}</c>.</summary>
    public const string ColumnPrefix = "sa_";

    /// <summary>Longest Keyword key text kept as is; longer values are hashed (a key holds 1 KiB, and a row key has other parts).</summary>
    private const int MaxKeyTextLength = 100;

    /// <summary>Marks a hashed Keyword key text; literal key texts starting with it are hashed too, so the two never meet.</summary>
    private const char HashedMarker = '~';

    private SearchAttributeValue(SearchAttributeType type, object value, string keyText, bool hashed)
    {
        Type = type;
        Value = value;
        KeyText = keyText;
        IsHashed = hashed;
    }

    /// <summary>The attribute type the value's CLR type stands for.</summary>
    public SearchAttributeType Type { get; }

    /// <summary>The value as stored in its column.</summary>
    public object Value { get; }

    /// <summary>
    /// Canonical text in index keys: Int decimal, Double round-trip, Datetime UTC ticks, Bool 0/1, Keyword
    /// escaped — or <c>~</c> and a SHA-256 when longer than 100 characters. Equal values give equal texts.
    /// </summary>
    public string KeyText { get; }

    /// <summary>True when <see cref="KeyText"/> is a hash: equal texts then need the column compared too.</summary>
    public bool IsHashed { get; }

    /// <summary>The stored form of <paramref name="value"/>; null when its CLR type is none of the supported ones.</summary>
    public static SearchAttributeValue? From(object? value) => value switch
    {
        string text => Keyword(text),
        bool flag => new(SearchAttributeType.Bool, flag, flag ? "1" : "0", false),
        long or int or short or sbyte or byte or ushort or uint => Int(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong big when big <= long.MaxValue => Int((long)big),
        double or float or decimal => Number(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        DateTimeOffset at => Time(at.ToUniversalTime()),
        DateTime at => Time(at.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(at, TimeSpan.Zero) : new DateTimeOffset(at.ToUniversalTime())),
        _ => null,
    };

    /// <summary>Reads a column value back as the attribute <paramref name="type"/> it was written as.</summary>
    public static object? Read(SearchAttributeType type, object? column) => (type, column) switch
    {
        (SearchAttributeType.Keyword, string text) => text,
        (SearchAttributeType.Int, long number) => number,
        (SearchAttributeType.Int, int number) => (long)number,
        (SearchAttributeType.Double, double number) => number,
        (SearchAttributeType.Double, int number) => (double)number,
        (SearchAttributeType.Double, long number) => (double)number,
        (SearchAttributeType.Bool, bool flag) => flag,
        (SearchAttributeType.Datetime, DateTimeOffset at) => at.ToUniversalTime(),
        (SearchAttributeType.Datetime, DateTime at) => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
        _ => null,
    };

    /// <summary>True for a name that can be a column: a letter, then up to 63 letters, digits or underscores.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    private static SearchAttributeValue Keyword(string text)
    {
        var escaped = KeyEscaping.Escape(text);
        if (escaped.Length <= MaxKeyTextLength && (escaped.Length == 0 || escaped[0] != HashedMarker))
        {
            return new(SearchAttributeType.Keyword, text, escaped, false);
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(escaped));
        return new(SearchAttributeType.Keyword, text, HashedMarker + Convert.ToHexStringLower(digest), true);
    }

    private static SearchAttributeValue Int(long number) =>
        new(SearchAttributeType.Int, number, number.ToString(CultureInfo.InvariantCulture), false);

    private static SearchAttributeValue Number(double number)
    {
        // -0 equals 0: one key text for both.
        var normalized = number == 0 ? 0d : number;
        return new(SearchAttributeType.Double, normalized, KeyEscaping.Escape(normalized.ToString("R", CultureInfo.InvariantCulture)), false);
    }

    private static SearchAttributeValue Time(DateTimeOffset at) =>
        new(SearchAttributeType.Datetime, at, at.UtcTicks.ToString(CultureInfo.InvariantCulture), false);
}
