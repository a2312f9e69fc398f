using System.Globalization;

namespace ServerlessFlow.Bench;

/// <summary>Command-line settings of the benchmark.</summary>
internal sealed record BenchOptions(int Workflows, int Concurrency, int Activities, int DelayMs, string? ConnectionString)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(Int("--workflows", 200), Int("--concurrency", 50), Int("--activities", 5), Int("--delay-ms", 0), Value("--connection-string"));
    }
}
