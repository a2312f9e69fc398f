using System.Text.Json;

namespace ServerlessFlow.Cli.Output;

/// <summary>
/// A history as a person reads it: each activity, timer, child workflow and update on one row from the event that
/// started it to the event that closed it (Temporal's "compact" view), every other event on its own row.
/// </summary>
internal static class CompactHistory
{
    /// <summary>The compact rows of <paramref name="events"/> (the <c>events</c> of <c>GET /workflows/{id}/history</c>), in event order.</summary>
    public static List<CompactRow> Build(JsonElement events)
    {
        var rows = new List<CompactRow>();
        var open = new Dictionary<string, CompactRow>(StringComparer.Ordinal);
        foreach (var e in events.EnumerateArray())
        {
            var eventId = e.GetProperty("eventId").GetInt64();
            var at = e.GetProperty("timestamp").GetDateTimeOffset();
            switch (e.Text("kind"))
            {
                case "ActivityScheduled":
                    Open(open, rows, "a" + eventId, new CompactRow(eventId, at, "Activity", e.Text("activityName"), e.Text("input")));
                    break;
                case "ActivityCompleted":
                    Close(open, "a" + e.Text("scheduledEventId"), at, $"Completed (attempt {e.Text("attempt")})", e.Text("result"));
                    break;
                case "ActivityFailed":
                    Close(open, "a" + e.Text("scheduledEventId"), at, $"Failed (attempt {e.Text("attempt")})", WorkflowDescriptionTable.FailureChain(e.Member("failure")));
                    break;
                case "TimerStarted":
                    Open(open, rows, "t" + eventId, new CompactRow(eventId, at, "Timer", "", "fires " + e.Time("fireAt")));
                    break;
                case "TimerFired":
                    Close(open, "t" + e.Text("startedEventId"), at, "Fired", "");
                    break;
                case "TimerCanceled":
                    Close(open, "t" + e.Text("startedEventId"), at, "Canceled", "");
                    break;
                case "ChildWorkflowScheduled":
                    Open(open, rows, "c" + eventId, new CompactRow(eventId, at, "Child", $"{e.Text("workflowType")} {e.Text("childWorkflowId")}", e.Text("input")));
                    break;
                case "ChildWorkflowCompleted":
                    Close(open, "c" + e.Text("scheduledEventId"), at, "Completed", e.Text("result"));
                    break;
                case "ChildWorkflowFailed":
                    Close(open, "c" + e.Text("scheduledEventId"), at, e.Text("status"), WorkflowDescriptionTable.FailureChain(e.Member("failure")));
                    break;
                case "ChildWorkflowStarted":
                    Annotate(open, "c" + e.Text("scheduledEventId"), "run " + e.Text("runId"));
                    break;
                case "ExternalWorkflowSignalRequested":
                    Open(open, rows, "x" + eventId, new CompactRow(eventId, at, "Signal out", $"{e.Text("signalName")} → {e.Text("targetWorkflowId")}", e.Text("input")));
                    break;
                case "ExternalWorkflowCancelRequested":
                    Open(open, rows, "x" + eventId, new CompactRow(eventId, at, "Cancel out", e.Text("targetWorkflowId"), ""));
                    break;
                case "ExternalWorkflowRequestCompleted":
                    Close(open, "x" + e.Text("requestedEventId"), at, "Delivered", "");
                    break;
                case "ExternalWorkflowRequestFailed":
                    Close(open, "x" + e.Text("requestedEventId"), at, "Failed", WorkflowDescriptionTable.FailureChain(e.Member("failure")));
                    break;
                case "WorkflowUpdateAccepted":
                    Open(open, rows, "u" + e.Text("updateId"), new CompactRow(eventId, at, "Update", e.Text("updateName"), e.Text("input")));
                    break;
                case "WorkflowUpdateCompleted":
                    Close(open, "u" + e.Text("updateId"), at, e.Member("failure") is null ? "Completed" : "Failed",
                        e.Member("failure") is { } failure ? WorkflowDescriptionTable.FailureChain(failure) : e.Text("result"));
                    break;
                default:
                    rows.Add(Single(e, eventId, at));
                    break;
            }
        }

        return rows;
    }

    /// <summary>Writes <paramref name="rows"/> as a table, times relative to the first event.</summary>
    public static void Write(IReadOnlyList<CompactRow> rows, TextWriter output)
    {
        var origin = rows.Count > 0 ? rows[0].At : default;
        var table = new Table("#", "AT", "EVENT", "NAME", "OUTCOME", "DURATION", "DETAIL");
        foreach (var row in rows)
        {
            table.Add(row.EventId.ToString(System.Globalization.CultureInfo.InvariantCulture), "+" + JsonText.Duration(row.At - origin), row.What, row.Name, row.Outcome,
                row.Duration is { } d ? JsonText.Duration(d) : "", row.Detail);
        }

        table.WriteTo(output);
    }

    private static void Open(Dictionary<string, CompactRow> open, List<CompactRow> rows, string key, CompactRow row)
    {
        open[key] = row;
        rows.Add(row);
    }

    private static void Close(Dictionary<string, CompactRow> open, string key, DateTimeOffset at, string outcome, string result)
    {
        if (open.Remove(key, out var row))
        {
            row.ClosedAt = at;
            row.Outcome = outcome;
            row.Detail = row.Detail.Length == 0 ? result : result.Length == 0 ? row.Detail : $"{row.Detail} → {result}";
        }
    }

    /// <summary>Adds to an open row's detail without closing it (a child's start report: the child still runs).</summary>
    private static void Annotate(Dictionary<string, CompactRow> open, string key, string note)
    {
        if (open.TryGetValue(key, out var row))
        {
            row.Detail = row.Detail.Length == 0 ? note : $"{row.Detail} ({note})";
        }
    }

    private static CompactRow Single(JsonElement e, long eventId, DateTimeOffset at)
    {
        var kind = e.Text("kind");
        var (name, detail) = kind switch
        {
            "WorkflowStarted" => (e.Text("workflowType"), e.Text("input")),
            "WorkflowCompleted" => ("", e.Text("result")),
            "WorkflowFailed" => ("", WorkflowDescriptionTable.FailureChain(e.Member("failure"))),
            "WorkflowTerminated" or "WorkflowCanceled" or "WorkflowCancelRequested" => ("", e.Text("reason")),
            "WorkflowContinuedAsNew" => (e.Text("newRunId"), e.Text("input")),
            "WorkflowSignaled" => (e.Text("signalName"), e.Text("input")),
            "MarkerRecorded" => (e.Text("patchId"), e.Text("deprecated") == "true" ? "deprecated" : ""),
            "SearchAttributesUpserted" => ("", e.Text("changes")),
            "LocalActivityMarkerRecorded" => (e.Text("activityName"), e.Member("failure") is { } failure
                ? $"attempt {e.Text("attempt")}: {WorkflowDescriptionTable.FailureChain(failure)}{(e.Text("backoff") is { Length: > 0 } backoff ? $" (retry after {backoff})" : "")}"
                : $"attempt {e.Text("attempt")}: {e.Text("result")}"),
            _ => ("", ""),
        };
        return new CompactRow(eventId, at, kind, name, detail) { Outcome = "" };
    }
}

/// <summary>One row of the compact history.</summary>
/// <param name="EventId">The first event of the row.</param>
/// <param name="At">When that event was recorded.</param>
/// <param name="What">Activity, Timer, Child, Update, or the event kind.</param>
/// <param name="Name">The activity, update, signal or child's name.</param>
/// <param name="Detail">Input, and result or failure once closed.</param>
internal sealed record CompactRow(long EventId, DateTimeOffset At, string What, string Name, string Detail)
{
    /// <summary>Input, and result or failure once closed.</summary>
    public string Detail { get; set; } = Detail;

    /// <summary>How it closed, or <c>Pending</c>.</summary>
    public string Outcome { get; set; } = "Pending";

    /// <summary>When its closing event was recorded.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>From the opening to the closing event.</summary>
    public TimeSpan? Duration => ClosedAt - At;
}
