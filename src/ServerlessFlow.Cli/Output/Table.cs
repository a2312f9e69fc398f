namespace ServerlessFlow.Cli.Output;

/// <summary>Rows of text printed in aligned columns under upper-case headers.</summary>
internal sealed class Table(params string[] headers)
{
    /// <summary>Cells longer than this are cut with an ellipsis, so that one large input cannot wreck the layout.</summary>
    private const int MaxCellWidth = 60;

    private readonly List<string[]> rows = [];

    /// <summary>Adds a row; missing cells are empty.</summary>
    public Table Add(params string?[] cells)
    {
        rows.Add([.. headers.Select((_, i) => Cut(i < cells.Length ? cells[i] ?? "" : ""))]);
        return this;
    }

    /// <summary>Prints the headers and rows; the last column is never padded.</summary>
    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        WriteRow(output, headers, widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        var line = string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i])));
        output.WriteLine(line.TrimEnd());
    }

    private static string Cut(string text)
    {
        var single = text.ReplaceLineEndings(" ");
        return single.Length <= MaxCellWidth ? single : string.Concat(single.AsSpan(0, MaxCellWidth - 1), "…");
    }
}
