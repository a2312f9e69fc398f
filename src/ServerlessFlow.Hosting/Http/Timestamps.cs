using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The one date-time form the API reads, in query parameters and in JSON bodies: ISO 8601 with an explicit offset,
/// e.g. <c>2026-11-23T13:20:00Z</c> or <c>2026-11-23T14:20:00.5+01:00</c>. A time without an offset would be read in
/// the server's zone, which the caller cannot know, so it is refused rather than guessed.
/// </summary>
internal static partial class Timestamps
{
    /// <summary>How the form is described in error messages.</summary>
    public const string Expected =
        "an ISO 8601 date-time with an offset, e.g. 2026-11-23T13:20:00Z or 2026-11-23T14:20:00+01:00 (in a URL, encode '+' as %2B)";

    /// <summary>Parses <paramref name="text"/>; false unless it has exactly the form described in <see cref="Expected"/>.</summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        return Shape().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
