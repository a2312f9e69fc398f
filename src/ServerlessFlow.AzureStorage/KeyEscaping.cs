using System.Globalization;
using System.Text;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Reversible escaping of user-supplied strings (workflow IDs, run IDs, inbox keys) into table-key segments.
/// <para>
/// Scheme (stored data depends on it: never change it): every character in the escape set is written as
/// <c>^XX</c> (two uppercase hex digits of its UTF-16 code) or, above U+00FF, <c>^uXXXX</c>; every other
/// character is kept. The escape set is what Azure forbids in keys (<c>/ \ # ?</c> and control characters),
/// what is known to break key handling on the way through URLs and OData literals (<c>% ' +</c>), the
/// row-key segment separator <c>|</c>, the escape character <c>^</c> itself, and lone surrogates (which
/// UTF-8 cannot carry, so two IDs differing only there would otherwise collide). Because <c>^</c> is always
/// escaped, distinct inputs always give distinct outputs: "a/b" is "a^2Fb", "a^2Fb" is "a^5E2Fb".
/// </para>
/// </summary>
internal static class KeyEscaping
{
    /// <summary>The escape character.</summary>
    public const char EscapeChar = '^';

    /// <summary>Separates segments of a row key; never appears in an escaped segment.</summary>
    public const char Separator = '|';

    /// <summary>Escapes <paramref name="value"/> into a key segment.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!NeedsEscaping(value))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (MustEscape(c))
            {
                builder.Append(EscapeChar);
                builder.Append(c <= 0xFF
                    ? ((int)c).ToString("X2", CultureInfo.InvariantCulture)
                    : "u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Reverses <see cref="Escape"/>; throws <see cref="StoreException"/> on a malformed key (foreign data in the table).</summary>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains(EscapeChar, StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] != EscapeChar)
            {
                builder.Append(key[i]);
                continue;
            }

            var wide = i + 1 < key.Length && key[i + 1] == 'u';
            var start = wide ? i + 2 : i + 1;
            var length = wide ? 4 : 2;
            if (start + length > key.Length
                || !int.TryParse(key.AsSpan(start, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw new StoreException($"Table key '{key}' has a malformed escape at position {i}; it was not written by this backend.", 0);
            }

            builder.Append((char)code);
            i = start + length - 1;
        }

        return builder.ToString();
    }

    /// <summary>Escapes a workflow ID into its PartitionKey, enforcing the key length limit.</summary>
    public static string PartitionKey(string workflowId)
    {
        if (string.IsNullOrEmpty(workflowId))
        {
            throw new InvalidWorkflowRequestException("A workflow ID must not be empty.");
        }

        var key = Escape(workflowId);
        return key.Length <= AzureLimits.MaxKeyLength
            ? key
            : throw new InvalidWorkflowRequestException(
                $"Workflow ID '{workflowId[..Math.Min(40, workflowId.Length)]}…' is too long: escaped for Azure Table keys it is {key.Length} characters, " +
                $"the limit is {AzureLimits.MaxKeyLength}. Use a shorter ID.");
    }

    private static bool NeedsEscaping(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (MustEscape(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MustEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '/' or '\\' or '#' or '?' or '%' or '\'' or '+' or Separator or EscapeChar;
}
