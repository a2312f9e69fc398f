namespace ServerlessFlow.Chaos.Worker;

/// <summary>
/// Appends one line per activity execution to a file of this process's own: "begin" before the activity does its
/// work and "end" after it, tab-separated with the workflow ID, run ID, scheduled event ID, attempt and activity
/// name. Each line is flushed to the operating system at once, so a SIGKILL loses none; the chaos tests count
/// executions against the attempts history recorded.
/// </summary>
public sealed class ExecutionJournal : IDisposable
{
    /// <summary>The phase written before an execution's work.</summary>
    public const string Begin = "begin";

    /// <summary>The phase written after it (success or failure).</summary>
    public const string End = "end";

    private readonly Lock gate = new();
    private readonly StreamWriter writer;

    /// <summary>Opens (appends to) <paramref name="path"/>.</summary>
    public ExecutionJournal(string path) => writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));

    /// <summary>Writes a line for the activity running on the calling flow.</summary>
    public void Record(string phase)
    {
        var info = ActivityExecutionContext.Current.Info;
        lock (gate)
        {
            writer.WriteLine(string.Join('\t', phase, info.WorkflowId, info.RunId, info.ScheduledEventId, info.Attempt, info.ActivityName));
            writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose() => writer.Dispose();
}
