using Microsoft.Extensions.Logging;

namespace ServerlessFlow.Engine.Diagnostics;

/// <summary>
/// The logger scope of work on one run: every log line written inside it carries <c>WorkflowId</c> and <c>RunId</c>
/// (OpenTelemetry's log exporter and JSON console loggers turn them into attributes).
/// </summary>
internal static class WorkflowLogScope
{
    /// <summary>Begins the scope; dispose it when the work on the run ends.</summary>
    public static IDisposable? Begin(ILogger logger, string workflowId, string? runId) =>
        logger.BeginScope(new KeyValuePair<string, object?>[] { new("WorkflowId", workflowId), new("RunId", runId) });
}
