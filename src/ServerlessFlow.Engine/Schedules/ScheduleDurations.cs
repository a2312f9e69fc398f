using System.Globalization;

namespace ServerlessFlow.Engine.Schedules;

/// <summary>
/// Durations of <c>@every</c> cron strings, in Go's form as Temporal takes them plus days: a sequence of
/// numbers with units — <c>90m</c>, <c>1h30m</c>, <c>15s</c>, <c>2d</c>, <c>1.5h</c>, <c>500ms</c>.
/// </summary>
internal static class ScheduleDurations
{
    private static readonly (string Unit, long Ticks)[] Units =
    [
        // "ms" before "m" and "s": the longest unit that matches is taken.
        ("ms", TimeSpan.TicksPerMillisecond),
        ("d", TimeSpan.TicksPerDay),
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
    ];

    /// <summary>Parses <paramref name="text"/>; false when it is not a duration.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        decimal ticks = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || !decimal.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unit = Array.Find(Units, u => text.AsSpan(i).StartsWith(u.Unit, StringComparison.Ordinal));
            if (unit.Unit is null)
            {
                return false;
            }

            ticks += number * unit.Ticks;
            i += unit.Unit.Length;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return text.Length > 0;
    }
}
