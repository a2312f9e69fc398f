using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;

namespace ServerlessFlow.DevServer;

/// <summary>
/// Writes each finished span as one JSON line (trace and span IDs, parent, name, kind, times, status, attributes) to a
/// file, appending: a quick local look at traces without a collector (<c>--trace-file</c>), and what the end-to-end
/// tests read back after killing the process.
/// </summary>
internal sealed class SpanFileExporter(string path) : BaseExporter<Activity>
{
    private readonly Lock gate = new();

    /// <inheritdoc />
    public override ExportResult Export(in Batch<Activity> batch)
    {
        var lines = new List<string>();
        foreach (var span in batch)
        {
            lines.Add(JsonSerializer.Serialize(new
            {
                traceId = span.TraceId.ToHexString(),
                spanId = span.SpanId.ToHexString(),
                parentSpanId = span.ParentSpanId == default ? null : span.ParentSpanId.ToHexString(),
                name = span.DisplayName,
                kind = span.Kind.ToString(),
                start = span.StartTimeUtc,
                durationMs = span.Duration.TotalMilliseconds,
                status = span.Status.ToString(),
                attributes = span.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString(), StringComparer.Ordinal),
            }));
        }

        try
        {
            lock (gate)
            {
                File.AppendAllLines(path, lines);
            }

            return ExportResult.Success;
        }
        catch (IOException)
        {
            return ExportResult.Failure;
        }
    }
}
