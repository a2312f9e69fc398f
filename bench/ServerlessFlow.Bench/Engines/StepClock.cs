using System.Diagnostics;

namespace ServerlessFlow.Bench.Engines;

/// <summary>
/// When each step of a timed-steps workflow first ran, in this process. Both engines' step activities write
/// here, so step times are measured the same way whichever engine drove them. One engine runs per process.
/// </summary>
internal static class StepClock
{
    private static long[] firstRun = [];

    public static void Reset(int steps) => firstRun = new long[steps];

    /// <summary>Records the first execution of <paramref name="step"/> (a retry keeps the first time).</summary>
    public static void Mark(int step) => Interlocked.CompareExchange(ref firstRun[step], Stopwatch.GetTimestamp(), 0);

    /// <summary>Milliseconds between each step and the one before it (index i is step i+1's gap).</summary>
    public static double[] StepGapsMs()
    {
        var times = firstRun;
        return [.. Enumerable.Range(1, Math.Max(times.Length - 1, 0)).Select(i => Stopwatch.GetElapsedTime(times[i - 1], times[i]).TotalMilliseconds)];
    }
}
