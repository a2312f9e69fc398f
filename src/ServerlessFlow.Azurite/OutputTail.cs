namespace ServerlessFlow.Azurite;

/// <summary>The last lines Azurite printed, kept to explain a failed start.</summary>
internal sealed class OutputTail
{
    /// <summary>Enough lines for a stack trace from node, few enough for an exception message.</summary>
    private const int MaxLines = 40;

    private readonly Queue<string> lines = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Enqueue(line);
            while (lines.Count > MaxLines)
            {
                lines.Dequeue();
            }
        }
    }

    /// <summary>The lines as they were printed.</summary>
    public string Lines()
    {
        lock (lines)
        {
            return string.Join(Environment.NewLine, lines);
        }
    }

    /// <summary>The lines, indented, or "(nothing)".</summary>
    public override string ToString()
    {
        lock (lines)
        {
            return lines.Count == 0 ? "  (nothing)" : string.Join(Environment.NewLine, lines.Select(line => "  " + line));
        }
    }
}
