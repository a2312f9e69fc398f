using System.Globalization;
using System.Text;

namespace ServerlessFlow.Engine.Client;

/// <summary>
/// The one rule for the text of every identifier a caller chooses: workflow, schedule, request, update and dead-letter IDs;
/// workflow type, signal, query and update names; Keyword search attribute values. They all end up in storage keys or
/// are compared with values that do, so what storage would refuse once they are keyed is refused here, before anything
/// is written, rather than found by a commit that then fails on every retry.
/// </summary>
/// <remarks>
/// Refused, by Unicode class:
/// <list type="bullet">
/// <item>control characters (U+0000–U+001F, U+007F–U+009F): Azure Tables forbid them in keys;</item>
/// <item>the line and paragraph separators U+2028 and U+2029: Azurite accepts them in a key and then rejects every
/// entity-group transaction that deletes that key (400 InvalidInput), which would leave a workflow's commits failing forever;</item>
/// <item>lone surrogates: not text, UTF-8 (and therefore a URL or a JSON body) cannot carry them;</item>
/// <item>noncharacters (U+FDD0–U+FDEF and the last two code points of every plane): reserved, not for interchange.</item>
/// </list>
/// Everything else — any script, emoji, spaces, symbols, <c>/ \ # ? % ' +</c> — is allowed and escaped reversibly by the backend.
/// </remarks>
internal static class IdentifierText
{
    /// <summary>Throws unless <paramref name="value"/> is non-empty, at most <paramref name="maxLength"/> UTF-16 code units and printable text.</summary>
    /// <param name="value">The identifier.</param>
    /// <param name="what">What it is, as the error message names it (e.g. "workflow ID", "signal name").</param>
    /// <param name="maxLength">Its longest length.</param>
    /// <returns><paramref name="value"/>, unchanged.</returns>
    /// <exception cref="InvalidWorkflowRequestException">It is empty, too long, or holds a refused character.</exception>
    public static string Validate(string? value, string what, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidWorkflowRequestException($"The {what} is empty; give a non-empty one.");
        }

        if (value.Length > maxLength)
        {
            throw new InvalidWorkflowRequestException($"The {what} is {value.Length} characters long; the limit is {maxLength}.");
        }

        return Refused(value) is { } refused
            ? throw new InvalidWorkflowRequestException(
                $"The {what} contains {refused.What} at position {refused.Index}; {what}s must be printable text " +
                "(no control characters, line or paragraph separators, lone surrogates or noncharacters).")
            : value;
    }

    /// <summary>The first refused character of <paramref name="value"/> and its class; null when there is none.</summary>
    public static (int Index, string What)? Refused(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var pair = new Rune(c, value[i + 1]);
                if (IsNoncharacter(pair.Value))
                {
                    return (i, $"the noncharacter {Name(pair.Value)}");
                }

                i++;
                continue;
            }

            string? what = c switch
            {
                _ when char.IsSurrogate(c) => "a lone surrogate",
                _ when char.IsControl(c) => "the control character",
                '\u2028' => "the line separator",
                '\u2029' => "the paragraph separator",
                _ when IsNoncharacter(c) => "the noncharacter",
                _ => null,
            };
            if (what is not null)
            {
                return (i, $"{what} {Name(c)}");
            }
        }

        return null;
    }

    private static bool IsNoncharacter(int codePoint) => codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    private static string Name(int codePoint) => "U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture);
}
