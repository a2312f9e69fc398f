using System.Globalization;

namespace ServerlessFlow.Engine.Schedules;

/// <summary>
/// The year field of a 6- or 7-field cron string, which Cronos does not have: a comma-separated list of
/// <c>*</c>, <c>N</c>, <c>A-B</c>, with an optional step <c>/S</c> (<c>*/S</c> and <c>N/S</c> run to
/// <see cref="MaxYear"/>; <c>*/S</c> counts from <see cref="MinYear"/>, the Unix epoch).
/// </summary>
internal sealed class CronYearField
{
    /// <summary>The first year a field may name: times before the Unix epoch are never scheduled.</summary>
    public const int MinYear = 1970;

    /// <summary>The last year a field may name: the last year <see cref="DateTimeOffset"/> holds.</summary>
    public const int MaxYear = 9999;

    private readonly (int First, int Last, int Step)[] ranges;

    private CronYearField((int First, int Last, int Step)[] ranges) => this.ranges = ranges;

    /// <summary>Parses the field; null when it allows every year (<c>*</c>), an error message when it is malformed.</summary>
    public static CronYearField? Parse(string field, out string? error)
    {
        error = null;
        if (field == "*")
        {
            return null;
        }

        var ranges = new List<(int, int, int)>();
        foreach (var part in field.Split(','))
        {
            if (ParseRange(part) is not { } range)
            {
                error = $"year field part '{part}' is not *, a year, a range A-B, or one of them with a step /S (years {MinYear}–{MaxYear})";
                return null;
            }

            ranges.Add(range);
        }

        return new CronYearField([.. ranges]);
    }

    /// <summary>The first year at or after <paramref name="year"/> that the field allows; null when there is none.</summary>
    public int? NextAllowed(int year)
    {
        int? best = null;
        foreach (var (first, last, step) in ranges)
        {
            var candidate = year <= first ? first : first + ((year - first + step - 1) / step * step);
            if (candidate <= last && (best is null || candidate < best))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static (int, int, int)? ParseRange(string part)
    {
        var slash = part.IndexOf('/', StringComparison.Ordinal);
        var step = 1;
        if (slash >= 0 && (!TryYearNumber(part[(slash + 1)..], out step) || step is < 1 or > MaxYear))
        {
            return null;
        }

        var span = slash >= 0 ? part[..slash] : part;
        if (span == "*")
        {
            return (MinYear, MaxYear, step);
        }

        var dash = span.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            // "N" is that year; "N/S" is N, N+S, … as in other cron fields.
            return TryYear(span, out var year) ? (year, slash >= 0 ? MaxYear : year, step) : null;
        }

        return TryYear(span[..dash], out var from) && TryYear(span[(dash + 1)..], out var to) && from <= to ? (from, to, step) : null;
    }

    private static bool TryYear(string text, out int year) => TryYearNumber(text, out year) && year is >= MinYear and <= MaxYear;

    private static bool TryYearNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
