namespace ServerlessFlow;

/// <summary>
/// How a failed activity is retried. Defaults are Temporal's: 1 s initial interval, backoff 2.0,
/// maximum interval 100 × the initial interval, unlimited attempts.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>The default policy every activity gets unless it says otherwise.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>A policy that runs exactly one attempt.</summary>
    public static RetryPolicy NoRetry { get; } = new() { MaximumAttempts = 1 };

    /// <summary>Delay before the first retry.</summary>
    public TimeSpan InitialInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each retry waits this many times longer than the previous one.</summary>
    public double BackoffCoefficient { get; init; } = 2.0;

    /// <summary>Upper bound of the delay between attempts; 100 × <see cref="InitialInterval"/> when null.</summary>
    public TimeSpan? MaximumInterval { get; init; }

    /// <summary>Attempts in total, including the first; 0 means unlimited and 1 means no retry.</summary>
    public int MaximumAttempts { get; init; }

    /// <summary>
    /// Error types that are never retried. An entry matches a failure's <c>Type</c> exactly (the full name of an exception,
    /// e.g. <c>Shop.ShippingRejectedException</c>, or an <see cref="ApplicationFailureException"/>'s error type), and an entry
    /// without a '.' also matches the short name of a full type name: <c>"ShippingRejectedException"</c> stops retries of
    /// <c>Shop.ShippingRejectedException</c> and of <c>Shop.Orders+ShippingRejectedException</c> (nested). Matching is case-sensitive.
    /// </summary>
    public IReadOnlyList<string> NonRetryableErrorTypes { get; init; } = [];

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var max = MaximumInterval ?? InitialInterval * 100;
        var factor = Math.Pow(BackoffCoefficient, Math.Max(0, nextAttempt - 2));
        var ticks = Math.Min(InitialInterval.Ticks * factor, max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Whether another attempt is allowed after <paramref name="attempt"/> failed with an error of <paramref name="errorType"/>.</summary>
    public bool AllowsRetry(int attempt, string errorType) =>
        (MaximumAttempts == 0 || attempt < MaximumAttempts) && !NonRetryableErrorTypes.Any(listed => Matches(listed, errorType));

    private static bool Matches(string listed, string errorType) =>
        string.Equals(listed, errorType, StringComparison.Ordinal)
        || (!listed.Contains('.', StringComparison.Ordinal) && string.Equals(listed, errorType[(errorType.LastIndexOfAny(['.', '+']) + 1)..], StringComparison.Ordinal));
}
