using Cronos;

namespace ServerlessFlow.Engine.Schedules;

/// <summary>
/// One cron expression of a schedule in its time zone. Cronos walks the second-to-day-of-week fields (and
/// handles daylight saving: a skipped local time fires at the end of the gap, a repeated one fires once);
/// the year field, which Cronos lacks, filters its occurrences here.
/// </summary>
internal sealed class CronSchedule
{
    private readonly CronExpression fields;
    private readonly TimeZoneInfo zone;
    private readonly CronYearField? years;

    private CronSchedule(CronExpression fields, TimeZoneInfo zone, CronYearField? years)
    {
        this.fields = fields;
        this.zone = zone;
        this.years = years;
    }

    /// <summary>
    /// Parses the fields of a cron string (no time-zone prefix, no macro): 5 (minute … day-of-week), 6 (+ year)
    /// or 7 (second first, + year). Returns null and the reason when they are not valid.
    /// </summary>
    public static CronSchedule? Parse(string text, TimeZoneInfo zone, out string? error)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 5 or > 7)
        {
            error = $"it has {parts.Length} fields";
            return null;
        }

        if (Array.Exists(parts, part => part.Split(',', '-', '/').Any(token => token.StartsWith('H') || token.StartsWith('h'))))
        {
            // No month or weekday name starts with H, so a token that does is Cronos's hash syntax.
            error = "it uses the hash syntax 'H', which needs a per-schedule seed; write a fixed value and set the schedule's Jitter to spread start times instead";
            return null;
        }

        error = null;
        CronYearField? years = null;
        var hasYear = parts.Length >= 6;
        if (hasYear)
        {
            years = CronYearField.Parse(parts[^1], out error);
            if (error is not null)
            {
                return null;
            }
        }

        var cronosFields = string.Join(' ', hasYear ? parts[..^1] : parts);
        try
        {
            var format = parts.Length == 7 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            return new CronSchedule(CronExpression.Parse(cronosFields, format), zone, years);
        }
        catch (Exception e) when (e is CronFormatException or MissingSeedException)
        {
            error = e.Message.TrimEnd('.');
            return null;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var from = after;
        while (fields.GetNextOccurrence(from, zone, inclusive: false) is { } time)
        {
            var year = TimeZoneInfo.ConvertTime(time, zone).Year;
            if (years is null || years.NextAllowed(year) == year)
            {
                return time;
            }

            if (year >= CronYearField.MaxYear || years.NextAllowed(year + 1) is not { } allowed)
            {
                return null;
            }

            // Jump to the start of the next allowed year rather than walking every occurrence up to it. The
            // jump never goes backwards, so the walk always advances.
            var yearStart = StartOfYear(allowed).AddTicks(-1);
            from = yearStart > time ? yearStart : time;
        }

        return null;
    }

    /// <summary>The first instant of local January 1st of <paramref name="year"/> (of the earlier offset when midnight is ambiguous).</summary>
    private DateTimeOffset StartOfYear(int year)
    {
        var midnight = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var offset = zone.IsAmbiguousTime(midnight) ? zone.GetAmbiguousTimeOffsets(midnight).Max() : zone.GetUtcOffset(midnight);
        return new DateTimeOffset(midnight, offset);
    }
}
