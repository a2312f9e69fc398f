using System.Diagnostics;
using System.Globalization;
using ServerlessFlow.Engine.Schedules;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Engine.Tests.Schedules;

public sealed class ScheduleSpecEvaluatorTests
{
    [Fact]
    public void Next_FiveSixSevenFields_SecondsAndYearHonoured()
    {
        var after = Utc("2026-03-01T00:00:00Z");

        Assert.Equal(Utc("2026-03-01T10:15:00Z"), Next("15 10 * * *", after));
        Assert.Equal(Utc("2026-03-05T09:00:00Z"), Next("0 9 * * THU", after)); // a weekday name with an H is not the hash syntax
        Assert.Equal(Utc("2028-01-01T10:15:00Z"), Next("15 10 1 1 * 2028", after));
        Assert.Equal(Utc("2028-01-01T10:15:30Z"), Next("30 15 10 1 1 * 2028", after));
        Assert.Equal(
            [Utc("2026-03-01T00:00:20Z"), Utc("2026-03-01T00:00:40Z"), Utc("2026-03-01T00:01:00Z")],
            Times(Spec("*/20 * * * * * *"), after, 3));
    }

    [Fact]
    public void Next_NewYorkCron_LocalTimeAcrossBothDstTransitions()
    {
        // 2026: clocks go 02:00 EST → 03:00 EDT on 8 March and 02:00 EDT → 01:00 EST on 1 November.
        var spring = Utc("2026-03-06T12:00:00Z");
        var fall = Utc("2026-10-30T12:00:00Z");
        var newYork = "America/New_York";

        // 02:30 does not exist on 8 March: it fires once, at the end of the gap (03:00 EDT).
        Assert.Equal(
            [Utc("2026-03-07T07:30:00Z"), Utc("2026-03-08T07:00:00Z"), Utc("2026-03-09T06:30:00Z")],
            Times(Spec("30 2 * * *", newYork), spring, 3));
        Assert.Equal(
            [Utc("2026-03-07T06:30:00Z"), Utc("2026-03-08T06:30:00Z"), Utc("2026-03-09T05:30:00Z")],
            Times(Spec("30 1 * * *", newYork), spring, 3));

        // 01:30 happens twice on 1 November: it fires once, at the first (EDT) one.
        Assert.Equal(
            [Utc("2026-10-31T05:30:00Z"), Utc("2026-11-01T05:30:00Z"), Utc("2026-11-02T06:30:00Z")],
            Times(Spec("30 1 * * *", newYork), fall, 3));
        Assert.Equal(
            [Utc("2026-10-31T06:30:00Z"), Utc("2026-11-01T07:30:00Z"), Utc("2026-11-02T07:30:00Z")],
            Times(Spec("30 2 * * *", newYork), fall, 3));
    }

    [Fact]
    public void Next_CronTzPrefix_EqualsTimeZoneField()
    {
        var after = Utc("2026-03-20T00:00:00Z");
        var byField = Times(Spec("0 9 * * *", "Europe/Paris"), after, 12);

        Assert.Equal(byField, Times(Spec("CRON_TZ=Europe/Paris 0 9 * * *"), after, 12));
        Assert.Equal(byField, Times(Spec("TZ=Europe/Paris 0 9 * * *"), after, 12));
        Assert.Equal(byField, Times(Spec("CRON_TZ=Europe/Paris 0 9 * * *", "Asia/Tokyo"), after, 12));
        Assert.Equal(Utc("2026-03-20T08:00:00Z"), byField[0]);
        Assert.Equal(Utc("2026-03-29T07:00:00Z"), byField[9]); // Paris moved to summer time on 29 March.
    }

    [Fact]
    public void Next_IntervalWithOffset_AlignedToUnixEpoch()
    {
        var after = Utc("2026-01-01T10:20:00Z");

        Assert.Equal(Utc("2026-01-01T11:15:00Z"), Next("@every 1h/15m", after));
        Assert.Equal(Utc("2026-01-01T10:15:00Z"), Next("@every 1h/15m", Utc("2026-01-01T10:14:59Z")));
        Assert.Equal(Utc("2026-01-03T00:00:00Z"), Next("@every 2d", Utc("2026-01-01T00:00:00Z"))); // day 20454 since the epoch is even.
        var times = Times(Spec("@every 90m/5m"), after, 5);
        Assert.All(times, time => Assert.Equal(0, (time - DateTimeOffset.UnixEpoch - TimeSpan.FromMinutes(5)).Ticks % TimeSpan.FromMinutes(90).Ticks));
        Assert.InRange(times[0] - after, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(90));
        Assert.Equal(times, Times(new ScheduleSpec { Intervals = [new(TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(5))] }, after, 5));
    }

    [Fact]
    public void Next_TwoSpecsSameInstant_OneTime()
    {
        var spec = new ScheduleSpec { CronExpressions = ["*/30 * * * *"], Intervals = [new(TimeSpan.FromMinutes(20))] };

        Assert.Equal(
            ["10:20", "10:30", "10:40", "11:00", "11:20", "11:30"],
            Times(spec, Utc("2026-05-01T10:00:00Z"), 6).Select(time => time.ToString("HH:mm", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Next_StartAndEndAt_BoundTimes()
    {
        var spec = Spec("@hourly") with { StartAt = Utc("2026-05-01T10:00:00Z"), EndAt = Utc("2026-05-01T12:00:00Z") };

        Assert.Equal(
            [Utc("2026-05-01T10:00:00Z"), Utc("2026-05-01T11:00:00Z"), Utc("2026-05-01T12:00:00Z")],
            Times(spec, Utc("2026-04-01T00:00:00Z"), 10));
        Assert.Null(ScheduleSpecEvaluator.Create(spec).NextNominal(Utc("2026-05-01T12:00:00Z")));
        Assert.Equal(Utc("2026-05-01T11:00:00Z"), ScheduleSpecEvaluator.Create(spec with { StartAt = Utc("2026-05-01T10:00:01Z") }).NextNominal(Utc("2026-05-01T09:00:00Z")));
    }

    [Fact]
    public void Jitter_SameTime_SameDelayBelowJitterAndNextTime()
    {
        var spec = Spec("@hourly") with { Jitter = TimeSpan.FromMinutes(10) };
        var first = ScheduleSpecEvaluator.Create(spec);
        var second = ScheduleSpecEvaluator.Create(spec);
        var nominals = Times(spec, Utc("2026-05-01T00:00:00Z"), 50);

        var delays = nominals.Select(nominal => first.ActualTime("nightly", nominal) - nominal).ToList();

        Assert.Equal(delays, nominals.Select(nominal => second.ActualTime("nightly", nominal) - nominal));
        Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1)));
        Assert.True(delays.Distinct().Count() > 40, "delays should vary from time to time");
        Assert.NotEqual(delays, nominals.Select(nominal => first.ActualTime("other", nominal) - nominal));

        // A jitter longer than the period is capped before the next time.
        var tight = ScheduleSpecEvaluator.Create(Spec("@every 1m") with { Jitter = TimeSpan.FromHours(1) });
        foreach (var nominal in Times(Spec("@every 1m"), Utc("2026-05-01T00:00:00Z"), 50))
        {
            var actual = tight.ActualTime("busy", nominal);
            Assert.InRange(actual, nominal, nominal + TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));
        }

        var nominalOnly = ScheduleSpecEvaluator.Create(Spec("@hourly"));
        Assert.Equal(nominals[0], nominalOnly.ActualTime("nightly", nominals[0]));
    }

    [Fact]
    public void Next_YearListsRangesAndSteps_OnlyThoseYears()
    {
        var after = Utc("2026-03-01T00:00:00Z");

        Assert.Equal(
            [2027, 2030, 2031, 2040, 2045, 2050],
            Times(Spec("0 0 1 1 * 2027,2030-2031,2040-2050/5"), after, 10).Select(time => time.Year));
        Assert.Equal([2026, 2030, 2034], Times(Spec("0 0 1 6 * */4"), after, 3).Select(time => time.Year)); // 1970 + 4k
        Assert.Equal([2028, 2031, 2034], Times(Spec("0 0 1 6 * 2028/3"), after, 3).Select(time => time.Year));
        Assert.Null(Next("0 0 1 1 * 2020-2025", after));
        Assert.Null(Next("* * * * * 2026", Utc("2026-12-31T23:59:00Z")));
    }

    [Fact]
    public void Next_FarYearOfSecondlyCron_JumpsThereAtLocalNewYear()
    {
        var clock = Stopwatch.StartNew();

        Assert.Equal(Utc("2100-01-01T00:00:00Z"), Next("* * * * * * 2100", Utc("2026-03-01T00:00:00Z")));
        Assert.Equal(Utc("2029-12-31T15:00:00Z"), Next("CRON_TZ=Asia/Tokyo * * * * * * 2030", Utc("2026-03-01T00:00:00Z")));
        Assert.Equal(Utc("2030-01-01T05:00:00Z"), Next("CRON_TZ=America/New_York 0 0 1 1 * 2030", Utc("2026-03-01T00:00:00Z")));
        Assert.Null(Next("* * * * * * 2020,2025", Utc("2026-03-01T00:00:00Z")));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}: the walk must jump to the year, not step through every second");
    }

    [Theory]
    [InlineData("61 * * * *", "61 * * * *")]
    [InlineData("* * * *", "4 fields")]
    [InlineData("0 0 * * * * * *", "8 fields")]
    [InlineData("H * * * *", "Jitter")]
    [InlineData("0 H/2 * * *", "Jitter")]
    [InlineData("0 0 * * * 1900", "'1900'")]
    [InlineData("0 0 * * * 2030-2020", "'2030-2020'")]
    [InlineData("@fortnightly", "@fortnightly")]
    [InlineData("@every 0.5s", "shorter than")]
    [InlineData("@every 1h/1h", "offset")]
    [InlineData("@every soon", "'soon'")]
    [InlineData("CRON_TZ=Mars/Olympus 0 * * * *", "Mars/Olympus")]
    public void Parse_BadCronHOrZone_InvalidRequestNamingIt(string cron, string named)
    {
        var error = Assert.Throws<InvalidWorkflowRequestException>(() => ScheduleSpecEvaluator.Create(Spec(cron)));

        Assert.Contains(cron, error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidSpecFields_InvalidRequestNamingThem()
    {
        Assert.Contains("Nowhere/City", Invalid(Spec("0 * * * *", "Nowhere/City")), StringComparison.Ordinal);
        Assert.Contains("at least one cron expression", Invalid(new ScheduleSpec()), StringComparison.Ordinal);
        Assert.Contains("shorter than", Invalid(new ScheduleSpec { Intervals = [new(TimeSpan.FromMilliseconds(500))] }), StringComparison.Ordinal);
        Assert.Contains("offset 01:00:00", Invalid(new ScheduleSpec { Intervals = [new(TimeSpan.FromHours(1), TimeSpan.FromHours(1))] }), StringComparison.Ordinal);
        Assert.Contains("offset -00:00:01", Invalid(new ScheduleSpec { Intervals = [new(TimeSpan.FromHours(1), TimeSpan.FromSeconds(-1))] }), StringComparison.Ordinal);
        Assert.Contains("StartAt", Invalid(Spec("@hourly") with { StartAt = Utc("2026-05-01T10:00:00Z"), EndAt = Utc("2026-05-01T10:00:00Z") }), StringComparison.Ordinal);
        Assert.Contains("Jitter", Invalid(Spec("@hourly") with { Jitter = TimeSpan.FromSeconds(-1) }), StringComparison.Ordinal);
        Assert.Contains("empty expression", Invalid(Spec(" ")), StringComparison.Ordinal);
    }

    private static string Invalid(ScheduleSpec spec) =>
        Assert.Throws<InvalidWorkflowRequestException>(() => ScheduleSpecEvaluator.Create(spec)).Message;

    private static ScheduleSpec Spec(string cron, string? timeZone = null) => new() { CronExpressions = [cron], TimeZone = timeZone };

    private static DateTimeOffset? Next(string cron, DateTimeOffset after) => ScheduleSpecEvaluator.Create(Spec(cron)).NextNominal(after);

    private static List<DateTimeOffset> Times(ScheduleSpec spec, DateTimeOffset after, int count)
    {
        var evaluator = ScheduleSpecEvaluator.Create(spec);
        var times = new List<DateTimeOffset>();
        while (times.Count < count && evaluator.NextNominal(after) is { } next)
        {
            Assert.Equal(TimeSpan.Zero, next.Offset);
            times.Add(next);
            after = next;
        }

        return times;
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
