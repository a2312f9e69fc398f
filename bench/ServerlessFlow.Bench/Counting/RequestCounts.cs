namespace ServerlessFlow.Bench.Counting;

/// <summary>
/// Request counts per kind at one moment, or between two moments; <paramref name="BenchOwn"/> counts the
/// benchmark's own requests (its polling for results), which are left out of every figure but the storage's CPU.
/// </summary>
internal sealed record RequestCounts(IReadOnlyDictionary<string, long> ByKind, long BenchOwn = 0)
{
    public long Total => ByKind.Values.Sum();

    /// <summary>The requests made after <paramref name="earlier"/> was taken.</summary>
    public RequestCounts Since(RequestCounts earlier) => new(ByKind
        .Select(pair => (pair.Key, Count: pair.Value - earlier.ByKind.GetValueOrDefault(pair.Key)))
        .Where(pair => pair.Count > 0)
        .ToDictionary(pair => pair.Key, pair => pair.Count, StringComparer.Ordinal), BenchOwn - earlier.BenchOwn);

    /// <summary>Each kind's count divided by <paramref name="divisor"/>.</summary>
    public IReadOnlyDictionary<string, double> Per(double divisor) =>
        ByKind.ToDictionary(pair => pair.Key, pair => pair.Value / divisor, StringComparer.Ordinal);
}
