using System.Text.Json;

namespace ServerlessFlow.Cli.Output;

/// <summary>Schedules for a person.</summary>
internal static class ScheduleTable
{
    /// <summary>One schedule (the body of <c>GET /schedules/{id}</c>): summary, next times, recent actions.</summary>
    public static void WriteDescription(JsonElement schedule, TextWriter output)
    {
        var definition = schedule.Member("definition");
        new Table("FIELD", "VALUE")
            .Add("Schedule ID", schedule.Text("id"))
            .Add("Spec", definition?.Text("spec"))
            .Add("Action", definition?.Text("action"))
            .Add("Policies", definition?.Text("policies"))
            .Add("Paused", schedule.Text("paused"))
            .Add("Note", schedule.Text("note"))
            .Add("Actions taken", schedule.Text("actionCount"))
            .Add("Missed catch-up window", schedule.Text("missedCatchupWindow"))
            .Add("Overlap skipped", schedule.Text("overlapSkipped"))
            .Add("Running workflows", schedule.Text("runningWorkflows"))
            .Add("Created", schedule.Time("createdAt"))
            .Add("Updated", schedule.Time("updatedAt"))
            .Add("ETag", schedule.Text("eTag"))
            .WriteTo(output);

        output.WriteLine();
        var next = new Table("NEXT ACTION TIMES");
        foreach (var time in schedule.Member("nextActionTimes")?.EnumerateArray() ?? default)
        {
            next.Add(time.TryGetDateTimeOffset(out var at) ? JsonText.Time(at) : JsonText.Compact(time));
        }

        next.WriteTo(output);
        output.WriteLine();
        var recent = new Table("SCHEDULED AT", "TAKEN AT", "WORKFLOW ID", "RUN ID");
        foreach (var action in schedule.Member("recentActions")?.EnumerateArray() ?? default)
        {
            recent.Add(action.Time("scheduledAt"), action.Time("takenAt"), action.Text("workflowId"), action.Text("runId"));
        }

        recent.WriteTo(output);
    }

    /// <summary>A listing (<c>{items, continuationToken}</c>).</summary>
    public static void WriteList(JsonElement listing, TextWriter output)
    {
        var table = new Table("SCHEDULE ID", "WORKFLOW TYPE", "PAUSED", "NEXT ACTION", "ACTIONS", "NOTE");
        foreach (var schedule in listing.GetProperty("items").EnumerateArray())
        {
            var next = schedule.Member("nextActionTimes") is { ValueKind: JsonValueKind.Array } times && times.GetArrayLength() > 0 && times[0].TryGetDateTimeOffset(out var at)
                ? JsonText.Time(at)
                : "";
            table.Add(schedule.Text("id"), schedule.Member("definition")?.Member("action")?.Text("workflowType"), schedule.Text("paused"), next,
                schedule.Text("actionCount"), schedule.Text("note"));
        }

        table.WriteTo(output);
        Commands.Paging.WriteMore(listing, output);
    }
}
