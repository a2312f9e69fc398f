using System.Text;
using System.Text.Json;

namespace ServerlessFlow.Cli.Output;

/// <summary>A workflow description for a person: the summary, then its pending activities and timers.</summary>
internal static class WorkflowDescriptionTable
{
    /// <summary>Writes <paramref name="description"/> (the body of <c>GET /workflows/{id}</c>).</summary>
    public static void Write(JsonElement description, TextWriter output)
    {
        var summary = new Table("FIELD", "VALUE")
            .Add("Workflow ID", description.Text("id"))
            .Add("Run ID", description.Text("runId"))
            .Add("Type", description.Text("type"))
            .Add("Status", Status(description))
            .Add("Suspended", Suspension(description.Member("suspension")))
            .Add("Task queue", description.Text("taskQueue"))
            .Add("Started", description.Time("createdAt"))
            .Add("Closed", description.Time("closedAt"))
            .Add("History", description.Text("historyLength") + " events")
            .Add("Input", description.Text("input"))
            .Add("Result", description.Text("result"))
            .Add("Failure", FailureChain(description.Member("failure")))
            .Add("Memo", description.Text("memo"))
            .Add("Search attributes", description.Text("searchAttributes"))
            .Add("Last task failure", description.Text("lastTaskFailure"));
        summary.WriteTo(output);

        if (description.Member("pendingActivities") is { ValueKind: JsonValueKind.Array } activities && activities.GetArrayLength() > 0)
        {
            output.WriteLine();
            output.WriteLine("Pending activities");
            var table = new Table("EVENT", "ACTIVITY", "STATE", "ATTEMPT", "STARTED", "LAST HEARTBEAT", "HEARTBEAT DETAILS", "NEXT ATTEMPT", "LAST FAILURE");
            foreach (var activity in activities.EnumerateArray())
            {
                table.Add(activity.Text("scheduledEventId"), activity.Text("activityName"), activity.Text("state"), activity.Text("attempt"),
                    activity.Time("startedAt"), activity.Time("lastHeartbeatAt"), activity.Text("heartbeatDetails"), activity.Time("nextAttemptAt"), FailureChain(activity.Member("lastFailure")));
            }

            table.WriteTo(output);
        }

        if (description.Member("pendingTimers") is { ValueKind: JsonValueKind.Array } timers && timers.GetArrayLength() > 0)
        {
            output.WriteLine();
            output.WriteLine("Pending timers");
            var table = new Table("FIRES AT");
            foreach (var timer in timers.EnumerateArray())
            {
                table.Add(timer.TryGetDateTimeOffset(out var at) ? JsonText.Time(at) : JsonText.Compact(timer));
            }

            table.WriteTo(output);
        }
    }

    /// <summary>The status word, with "(suspended)" while an operator holds the run.</summary>
    public static string Status(JsonElement description) =>
        description.Member("suspension") is { ValueKind: JsonValueKind.Object } ? description.Text("status") + " (suspended)" : description.Text("status");

    private static string Suspension(JsonElement? suspension) =>
        suspension is { ValueKind: JsonValueKind.Object } held
            ? $"since {held.Time("suspendedAt")}" + (held.Member("reason") is { ValueKind: JsonValueKind.String } reason ? $": {reason.GetString()}" : "")
            : "";

    /// <summary>A failure and its causes on one line: <c>Type: message ← Cause: message</c>.</summary>
    public static string FailureChain(JsonElement? failure)
    {
        var text = new StringBuilder();
        for (var current = failure; current is { ValueKind: JsonValueKind.Object } f; current = f.Member("cause"))
        {
            text.Append(text.Length == 0 ? "" : " ← ").Append(f.Text("type")).Append(": ").Append(f.Text("message"));
        }

        return text.ToString();
    }
}
