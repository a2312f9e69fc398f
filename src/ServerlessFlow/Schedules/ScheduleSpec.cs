namespace ServerlessFlow.Schedules;

/// <summary>
/// When a schedule acts: the union of its cron expressions and intervals (an instant both give is one
/// action), between <see cref="StartAt"/> and <see cref="EndAt"/>.
/// </summary>
public sealed record ScheduleSpec
{
    /// <summary>
    /// Cron expressions in Temporal's forms: 5 fields (minute hour day-of-month month day-of-week),
    /// 6 (the same + year), 7 (second first, + year); <c>@hourly</c>, <c>@daily</c> and friends;
    /// <c>@every 90m</c> or <c>@every 1h/15m</c> (an interval with an offset); an optional
    /// <c>CRON_TZ=America/New_York</c> prefix overrides <see cref="TimeZone"/>.
    /// </summary>
    public IReadOnlyList<string> CronExpressions { get; init; } = [];

    /// <summary>Fixed intervals, aligned to the Unix epoch plus their offset.</summary>
    public IReadOnlyList<ScheduleInterval> Intervals { get; init; } = [];

    /// <summary>No action before this time.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>No action after this time.</summary>
    public DateTimeOffset? EndAt { get; init; }

    /// <summary>Each action is delayed by a random amount below this (the same for a given schedule and time, and never past the next time).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>IANA time zone of the cron expressions (e.g. "Europe/Paris"); UTC when null.</summary>
    public string? TimeZone { get; init; }
}

/// <summary>Every <paramref name="Every"/>, at Unix epoch + <paramref name="Offset"/> + k × <paramref name="Every"/>.</summary>
/// <param name="Every">The period, at least one second.</param>
/// <param name="Offset">The phase, from zero to less than the period.</param>
public sealed record ScheduleInterval(TimeSpan Every, TimeSpan Offset = default);
