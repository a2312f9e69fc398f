namespace ServerlessFlow.EndToEnd.Tests;

/// <summary>
/// The file HelloSequence's activity appends "workflowId index attempt" to on every execution
/// (configuration key Samples:ExecutionLog): how the tests count executions across process kills.
/// </summary>
internal sealed class ExecutionLog : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"serverlessflow-e2e-{Guid.NewGuid():N}.log");

    /// <summary>How many times each activity index of <paramref name="workflowId"/> ran.</summary>
    public Dictionary<int, int> ExecutionsByIndex(string workflowId)
    {
        var counts = new Dictionary<int, int>();
        if (!File.Exists(Path))
        {
            return counts;
        }

        foreach (var line in File.ReadAllLines(Path))
        {
            // The ID may contain spaces; the index and attempt are the last two fields.
            var fields = line.Split(' ');
            if (fields.Length >= 3 && string.Join(' ', fields[..^2]) == workflowId && int.TryParse(fields[^2], out var index))
            {
                counts[index] = counts.GetValueOrDefault(index) + 1;
            }
        }

        return counts;
    }

    public string Dump() => File.Exists(Path) ? File.ReadAllText(Path) : "(no execution log)";

    public void Dispose() => File.Delete(Path);
}
