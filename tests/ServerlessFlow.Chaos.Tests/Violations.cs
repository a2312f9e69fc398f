using System.Collections.Concurrent;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>Every broken invariant found, collected (from concurrent drivers and checks) so that a failure reports all of them at once.</summary>
internal sealed class Violations
{
    private readonly ConcurrentQueue<string> found = new();

    public int Count => found.Count;

    /// <summary>Records that <paramref name="invariant"/> does not hold for <paramref name="workflowId"/>, with what was seen.</summary>
    public void Add(string workflowId, string invariant, string detail) => found.Enqueue($"{workflowId}: {invariant}: {detail}");

    /// <summary>The first <paramref name="max"/> violations, one per line, and how many more there are.</summary>
    public string Describe(int max)
    {
        var all = found.ToArray();
        var lines = all.Take(max).Select(v => "  - " + v);
        return string.Join(Environment.NewLine, all.Length > max ? lines.Append($"  … and {all.Length - max} more") : lines);
    }

    /// <summary>Counts by invariant, for the summary.</summary>
    public IReadOnlyDictionary<string, int> ByInvariant() =>
        found.Select(v => v.Split(": ")[1]).GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
}
