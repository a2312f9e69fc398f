using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Engine.Schedules;

/// <summary>
/// The times a <see cref="ScheduleSpec"/> gives: the union of its cron expressions and intervals (an instant
/// both give is one time), between <see cref="ScheduleSpec.StartAt"/> and <see cref="ScheduleSpec.EndAt"/>
/// inclusive, and each time's jittered actual time. Pure: the same spec gives the same times in every process.
/// </summary>
internal sealed class ScheduleSpecEvaluator
{
    private const string FormsHint =
        "Use 5 fields (minute hour day-of-month month day-of-week), 6 (the same + year) or 7 (second first, + year), " +
        "a macro (@yearly, @monthly, @weekly, @daily, @hourly), or @every <duration>[/<offset>] such as @every 90m/5m; " +
        "optionally prefixed by CRON_TZ=<IANA zone>";

    private static readonly TimeSpan MinEvery = TimeSpan.FromSeconds(1);

    /// <summary>Prefixes naming the time zone of one cron string (Temporal takes both).</summary>
    private static readonly string[] ZonePrefixes = ["CRON_TZ=", "TZ="];

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private readonly IReadOnlyList<CronSchedule> crons;
    private readonly IReadOnlyList<ScheduleInterval> intervals;
    private readonly DateTimeOffset? startAt;
    private readonly DateTimeOffset? endAt;
    private readonly TimeSpan jitter;

    private ScheduleSpecEvaluator(ScheduleSpec spec, IReadOnlyList<CronSchedule> crons, IReadOnlyList<ScheduleInterval> intervals)
    {
        this.crons = crons;
        this.intervals = intervals;
        startAt = spec.StartAt;
        endAt = spec.EndAt;
        jitter = spec.Jitter;
    }

    /// <summary>Validates and parses <paramref name="spec"/>.</summary>
    /// <exception cref="InvalidWorkflowRequestException">The spec is invalid; the message names the culprit and the fix.</exception>
    public static ScheduleSpecEvaluator Create(ScheduleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var defaultZone = spec.TimeZone is null ? TimeZoneInfo.Utc : FindZone(spec.TimeZone, "of ScheduleSpec.TimeZone");
        var crons = new List<CronSchedule>();
        var intervals = new List<ScheduleInterval>();
        foreach (var text in spec.CronExpressions)
        {
            ParseCron(text, defaultZone, crons, intervals);
        }

        foreach (var interval in spec.Intervals)
        {
            if (interval is null)
            {
                throw Invalid("ScheduleSpec.Intervals holds null: remove it.");
            }

            intervals.Add(Validate(interval, $"Interval every {interval.Every}"));
        }

        if (crons.Count == 0 && intervals.Count == 0)
        {
            throw Invalid("The schedule spec gives no times: add at least one cron expression (CronExpressions) or interval (Intervals).");
        }

        if (spec is { StartAt: { } start, EndAt: { } end } && start >= end)
        {
            throw Invalid($"ScheduleSpec.StartAt ({start:O}) is not before EndAt ({end:O}): set StartAt earlier than EndAt, or leave one of them out.");
        }

        if (spec.Jitter < TimeSpan.Zero)
        {
            throw Invalid($"ScheduleSpec.Jitter ({spec.Jitter}) is negative: use zero (no jitter) or a positive duration.");
        }

        return new ScheduleSpecEvaluator(spec, crons, intervals);
    }

    /// <summary>
    /// The earliest time strictly after <paramref name="after"/> that any cron expression or interval gives,
    /// within StartAt and EndAt (inclusive), in UTC; null when there is none.
    /// </summary>
    public DateTimeOffset? NextNominal(DateTimeOffset after)
    {
        if (startAt is { } start && after < start)
        {
            // StartAt itself is a candidate (the earliest instant there is cannot be: nothing is before it).
            after = start > DateTimeOffset.MinValue ? start.AddTicks(-1) : start;
        }

        DateTimeOffset? best = null;
        foreach (var cron in crons)
        {
            best = Earliest(best, cron.Next(after));
        }

        foreach (var interval in intervals)
        {
            best = Earliest(best, NextOfInterval(interval, after));
        }

        return best is { } time && (endAt is null || time <= endAt) ? time.ToUniversalTime() : null;
    }

    /// <summary>
    /// When the action for <paramref name="nominal"/> happens: nominal plus a delay below Jitter derived from the
    /// schedule ID and the time (so every process computes the same), and strictly before the next nominal time; in UTC.
    /// </summary>
    public DateTimeOffset ActualTime(string scheduleId, DateTimeOffset nominal)
    {
        ArgumentNullException.ThrowIfNull(scheduleId);
        if (jitter <= TimeSpan.Zero)
        {
            return nominal.ToUniversalTime();
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{scheduleId}|{nominal.UtcTicks}")));
        var delay = TimeSpan.FromTicks((long)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)jitter.Ticks));
        var actual = nominal.ToUniversalTime() + delay;
        return NextNominal(nominal) is { } next && actual >= next ? next.AddTicks(-1) : actual;
    }

    private static void ParseCron(string? text, TimeZoneInfo defaultZone, List<CronSchedule> crons, List<ScheduleInterval> intervals)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid($"ScheduleSpec.CronExpressions holds an empty expression: remove it. {FormsHint}.");
        }

        var body = text.Trim();
        var zone = defaultZone;
        foreach (var prefix in ZonePrefixes)
        {
            if (body.StartsWith(prefix, StringComparison.Ordinal))
            {
                var end = body.IndexOfAny([' ', '\t']);
                var name = end < 0 ? body[prefix.Length..] : body[prefix.Length..end];
                zone = FindZone(name, $"in cron expression '{text}'");
                body = end < 0 ? "" : body[end..].Trim();
                break;
            }
        }

        if (body.StartsWith("@every", StringComparison.OrdinalIgnoreCase))
        {
            intervals.Add(ParseEvery(text, body["@every".Length..].Trim()));
            return;
        }

        if (body.StartsWith('@'))
        {
            if (!Macros.TryGetValue(body, out var expanded))
            {
                throw Invalid($"Cron expression '{text}' is invalid: '{body}' is not a known macro. {FormsHint}.");
            }

            body = expanded;
        }

        var cron = CronSchedule.Parse(body, zone, out var error);
        crons.Add(cron ?? throw Invalid($"Cron expression '{text}' is invalid: {error}. {FormsHint}."));
    }

    private static ScheduleInterval ParseEvery(string text, string arguments)
    {
        var slash = arguments.IndexOf('/', StringComparison.Ordinal);
        var offset = TimeSpan.Zero;
        var valid = slash < 0
            ? ScheduleDurations.TryParse(arguments, out var every)
            : ScheduleDurations.TryParse(arguments[..slash], out every) && ScheduleDurations.TryParse(arguments[(slash + 1)..], out offset);
        if (!valid)
        {
            throw Invalid($"Cron expression '{text}' is invalid: '{arguments}' is not a duration with an optional /offset (e.g. 90m, 1h30m/15m, 2d, 15s). {FormsHint}.");
        }

        return Validate(new ScheduleInterval(every, offset), $"Cron expression '{text}'");
    }

    private static ScheduleInterval Validate(ScheduleInterval interval, string culprit)
    {
        if (interval.Every < MinEvery)
        {
            throw Invalid($"{culprit} is invalid: its period {interval.Every} is shorter than {MinEvery}. Use a period of at least one second.");
        }

        if (interval.Offset < TimeSpan.Zero || interval.Offset >= interval.Every)
        {
            throw Invalid($"{culprit} is invalid: its offset {interval.Offset} is not between zero and the period {interval.Every} (exclusive). Use an offset below the period.");
        }

        return interval;
    }

    /// <summary>Unix epoch + Offset + k × Every for the smallest k that gives a time strictly after <paramref name="after"/>.</summary>
    private static DateTimeOffset? NextOfInterval(ScheduleInterval interval, DateTimeOffset after)
    {
        var origin = (Int128)DateTimeOffset.UnixEpoch.UtcTicks + interval.Offset.Ticks;
        var every = (Int128)interval.Every.Ticks;
        var elapsed = after.UtcTicks - origin;
        var k = (elapsed >= 0 ? elapsed / every : -((-elapsed + every - 1) / every)) + 1;
        var ticks = origin + (k * every);
        return ticks <= DateTimeOffset.MaxValue.UtcTicks ? new DateTimeOffset((long)ticks, TimeSpan.Zero) : null;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);

    private static TimeZoneInfo FindZone(string name, string where)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw Invalid($"Time zone '{name}' {where} is unknown: use an IANA time zone name such as 'America/New_York', 'Europe/Paris' or 'UTC'.", e);
        }
    }

    private static InvalidWorkflowRequestException Invalid(string message, Exception? inner = null) => new(message, inner);
}
