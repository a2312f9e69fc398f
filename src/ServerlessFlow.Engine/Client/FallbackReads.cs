namespace ServerlessFlow.Engine.Client;

/// <summary>
/// When a wait on a workflow (for its close, or for an update's outcome) reads the workflow again, for commits made by other processes (commits made in this process
/// reach the wait through its <see cref="Runtime.CommitWatch"/>, with no read). A read falls due only after a quiet interval with
/// no news of the workflow — no commit seen here, no read — so none is made while this process keeps committing the workflow.
/// <list type="bullet">
/// <item>While this process has not been seen committing the workflow (it runs elsewhere, or has not begun), the interval doubles
/// from <see cref="FirstInterval"/> to <see cref="MaxInterval"/>: a close made elsewhere is seen at most 250 ms after it.</item>
/// <item>Once it has (a commit arrived, or the process committed it just before the wait began), the interval is
/// <see cref="QuietInterval"/>: the run goes on here, and a close made elsewhere all the same (a terminate from another process,
/// another worker taking the run over) is seen at most 1 s after it.</item>
/// </list>
/// </summary>
internal sealed class FallbackReads
{
    /// <summary>The first interval for a workflow not run here: a short workflow run by another worker is seen closed soon.</summary>
    public static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Longest interval for a workflow not run here: the bound on how late its close is seen.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The interval for a workflow run here: longer than the steps of a busy worker, so none is followed by a read.</summary>
    public static readonly TimeSpan QuietInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider clock;
    private long lastNews;
    private TimeSpan interval;

    /// <summary>Starts the schedule right after the wait's first read.</summary>
    /// <param name="clock">The caller's clock.</param>
    /// <param name="runHere">True when this process committed the workflow just before the wait began.</param>
    public FallbackReads(TimeProvider clock, bool runHere)
    {
        this.clock = clock;
        lastNews = clock.GetTimestamp();
        interval = runHere ? QuietInterval : FirstInterval;
    }

    /// <summary>How long until the next read is due; zero or less: now.</summary>
    public TimeSpan UntilDue => interval - clock.GetElapsedTime(lastNews);

    /// <summary>A commit made here arrived: the workflow runs here.</summary>
    public void CommitSeen()
    {
        lastNews = clock.GetTimestamp();
        interval = QuietInterval;
    }

    /// <summary>The wait read the workflow.</summary>
    public void Read()
    {
        lastNews = clock.GetTimestamp();
        if (interval < MaxInterval)
        {
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, MaxInterval.Ticks));
        }
    }
}
