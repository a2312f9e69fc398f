namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// The one back-off of messages the engine puts back for a condition that persists: a handler that keeps failing, a workflow task
/// that keeps failing (until a fix is deployed), a parent-close policy waiting for a child to come out of a continue-as-new.
/// Doubles from two seconds to five minutes.
/// </summary>
internal static class RetryBackoff
{
    /// <summary>Longest wait: with 10 allowed failures a message rides out about 15 minutes of outage (storage, a rolling deploy) before it is dead-lettered.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    /// <summary>The wait after <paramref name="retries"/> retries (the first is 1): 2 s, 4 s, 8 s … up to <see cref="Max"/>.</summary>
    public static TimeSpan After(long retries) => TimeSpan.FromSeconds(Math.Min(Max.TotalSeconds, Math.Pow(2, Math.Clamp(retries, 1, 20))));
}
