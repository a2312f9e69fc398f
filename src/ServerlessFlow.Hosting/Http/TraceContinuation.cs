using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// Continues the caller's W3C trace (<c>traceparent</c>, <c>tracestate</c>) in an API request that no ASP.NET Core
/// instrumentation has already continued, so the workflow a start creates belongs to the caller's trace.
/// </summary>
internal static class TraceContinuation
{
    /// <summary>The W3C Trace Context request header.</summary>
    private const string TraceParentHeader = "traceparent";

    /// <summary>The W3C Trace Context vendor state header.</summary>
    private const string TraceStateHeader = "tracestate";

    /// <summary>
    /// Makes the caller's context ambient for the request's work and returns what to dispose at its end; null when a span is
    /// already ambient (ASP.NET Core's own, which continued the same header) or the request carries no valid context.
    /// </summary>
    /// <remarks>
    /// The activity made here comes from no <see cref="ActivitySource"/>, so no exporter sees it: it only carries the
    /// caller's trace and span IDs to the spans the engine starts under it.
    /// </remarks>
    public static Activity? Begin(HttpRequest request)
    {
        if (Activity.Current is not null
            || request.Headers[TraceParentHeader] is not [{ Length: > 0 } traceParent]
            || !ActivityContext.TryParse(traceParent, request.Headers[TraceStateHeader].FirstOrDefault(), out _))
        {
            return null;
        }

        var carrier = new Activity("ServerlessFlow.Http.TraceContinuation");
        carrier.SetParentId(traceParent);
        carrier.TraceStateString = request.Headers[TraceStateHeader].FirstOrDefault();
        return carrier.Start();
    }
}
