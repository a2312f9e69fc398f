using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ServerlessFlow.Engine.Diagnostics;

namespace ServerlessFlow.DevServer;

/// <summary>
/// OpenTelemetry for the dev server, when asked for: OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter
/// reads it and the other standard <c>OTEL_EXPORTER_OTLP_*</c> variables itself), the console with <c>--otel-console</c>,
/// and spans as JSON lines with <c>--trace-file</c>. Nothing is collected otherwise.
/// </summary>
internal static class DevServerTelemetry
{
    /// <summary>The standard variable of the OTLP exporter's endpoint.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name spans and metrics carry unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    private const string ServiceName = "serverlessflow-dev";

    /// <summary>Adds the exporters the options and environment ask for; nothing when none is asked for.</summary>
    public static void Configure(WebApplicationBuilder builder, DevServerOptions options)
    {
        var otlp = !string.IsNullOrEmpty(builder.Configuration[OtlpEndpointVariable]);
        if (!otlp && !options.TelemetryConsole && options.TraceFile is null)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName));
        telemetry.WithTracing(tracing =>
        {
            tracing.AddSource(ServerlessFlowTelemetry.Name);
            if (otlp)
            {
                tracing.AddOtlpExporter();
            }

            if (options.TelemetryConsole)
            {
                tracing.AddConsoleExporter();
            }

            if (options.TraceFile is { } path)
            {
                // Simple (not batched): each span is on disk when it ends, so a process killed a moment later has lost none of them.
                tracing.AddProcessor(new SimpleActivityExportProcessor(new SpanFileExporter(path)));
            }
        });
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(ServerlessFlowTelemetry.Name);
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }

            if (options.TelemetryConsole)
            {
                metrics.AddConsoleExporter();
            }
        });
        if (otlp)
        {
            // Log records carry the workflow and run IDs of the engine's logger scopes as attributes.
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeScopes = true;
                logging.AddOtlpExporter();
            });
        }
    }
}
