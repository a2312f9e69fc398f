using Xunit;

namespace ServerlessFlow.TestSupport;

/// <summary>Waiting for a condition that another process makes true: poll, with a deadline, never a fixed sleep.</summary>
public static class Polling
{
    /// <summary>
    /// Between two looks: short, so that a state that lasts only moments (a run between two runs of a continue-as-new) is
    /// still seen.
    /// </summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Calls <paramref name="probe"/> until it reports done, or fails the test at the deadline, naming <paramref name="what"/>.</summary>
    public static async Task<T> UntilAsync<T>(TimeSpan timeout, string what, Func<Task<(bool Done, T Value)>> probe, Func<string>? diagnostics = null)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var (done, value) = await probe();
            if (done)
            {
                return value;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out after {timeout.TotalSeconds} s waiting for {what}.{Environment.NewLine}{diagnostics?.Invoke()}");
            await Task.Delay(Interval);
        }
    }

    /// <summary>
    /// Reads <paramref name="read"/> until <paramref name="done"/> accepts what it returns, and returns that; fails the test at
    /// the deadline, naming <paramref name="what"/> and the last value read.
    /// </summary>
    public static Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var last = default(T);
        return UntilAsync(
            timeout,
            what,
            async () =>
            {
                last = await read();
                return (done(last), last);
            },
            () => $"Last value read: {last}");
    }

    /// <summary>
    /// Calls <paramref name="probe"/> every <paramref name="interval"/> until it returns true (then true) or the
    /// deadline passes (then false): for callers that report what is still missing themselves.
    /// </summary>
    public static async Task<bool> TryUntilAsync(TimeSpan timeout, TimeSpan interval, Func<Task<bool>> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await probe())
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(interval);
        }

        return true;
    }
}
