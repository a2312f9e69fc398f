namespace ServerlessFlow.TestSupport;

/// <summary>
/// The chance of each injected fault per storage request, for <see cref="FaultInjectionPolicy"/>'s seeded random
/// mode. Each request draws once: it fails before or after reaching storage, or (queue sends only) it is sent
/// twice or with extra visibility delay, or it passes untouched.
/// </summary>
/// <param name="BeforeSend">Requests failed before they reach storage (nothing applied).</param>
/// <param name="AfterSend">Requests failed after storage applied them (the response is lost: the ambiguous case).</param>
/// <param name="DuplicateSend">Queue sends delivered twice (the same message body, two messages).</param>
/// <param name="DelaySend">Queue sends made visible later than asked, by up to <paramref name="MaxExtraDelay"/>.</param>
/// <param name="MaxExtraDelay">The longest extra visibility delay of a delayed send.</param>
public sealed record FaultRates(double BeforeSend, double AfterSend, double DuplicateSend, double DelaySend, TimeSpan MaxExtraDelay)
{
    /// <summary>No faults.</summary>
    public static FaultRates None { get; } = new(0, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Throws <see cref="ArgumentException"/> unless every rate is in [0, 1], the two failure rates sum to at most 1, and the delay is not negative.</summary>
    public void Validate()
    {
        double[] rates = [BeforeSend, AfterSend, DuplicateSend, DelaySend];
        if (rates.Any(r => r is < 0 or > 1 || double.IsNaN(r)) || BeforeSend + AfterSend > 1 || DuplicateSend + DelaySend > 1 || MaxExtraDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Fault rates {this} are invalid: each must be in [0, 1], before + after ≤ 1, duplicate + delay ≤ 1, and the extra delay not negative.");
        }
    }
}
