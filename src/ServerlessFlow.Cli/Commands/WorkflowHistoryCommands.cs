using System.CommandLine;
using System.Text.Json;
using ServerlessFlow.Cli.Api;
using ServerlessFlow.Cli.Output;

namespace ServerlessFlow.Cli.Commands;

/// <summary><c>workflow history</c> (every event) and <c>workflow show</c> (the compact history).</summary>
internal static class WorkflowHistoryCommands
{
    /// <summary><c>workflow history ID</c>: the events; <c>--output json</c> prints the API's body, which <c>replay</c> reads.</summary>
    public static Command History(GlobalOptions globals)
    {
        var id = CommandParts.WorkflowId();
        var command = new Command("history", "Print the current run's events (--output json: the exportable history)") { id };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var history = (await context.Api.GetAsync(ApiPath.Of("workflows", parse.GetRequiredValue(id), "history"), cancellation)).Json;
            context.Print(history, (body, output) =>
            {
                var table = new Table("#", "TIME", "KIND", "DETAIL");
                foreach (var e in body.GetProperty("events").EnumerateArray())
                {
                    var detail = string.Join(" ", e.EnumerateObject()
                        .Where(m => m.Name is not ("eventId" or "timestamp" or "kind" or "startsTask") && m.Value.ValueKind != JsonValueKind.Null)
                        .Select(m => $"{m.Name}={JsonText.Compact(m.Value)}"));
                    table.Add(e.Text("eventId"), e.Time("timestamp"), e.Text("kind"), detail);
                }

                table.WriteTo(output);
            });
        }, cancellation));
        return command;
    }

    /// <summary><c>workflow show ID</c>: scheduled and completed events paired on one row, with durations.</summary>
    public static Command Show(GlobalOptions globals)
    {
        var id = CommandParts.WorkflowId();
        var command = new Command("show", "Show the history compactly: activities, timers, children and updates on one row each, with durations") { id };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var history = (await context.Api.GetAsync(ApiPath.Of("workflows", parse.GetRequiredValue(id), "history"), cancellation)).Json;
            var rows = CompactHistory.Build(history.GetProperty("events"));
            if (context.Format == OutputFormat.Json)
            {
                context.Output.WriteLine(JsonText.Pretty(JsonSerializer.SerializeToElement(rows.Select(r => new
                {
                    eventId = r.EventId,
                    at = r.At,
                    what = r.What,
                    name = r.Name,
                    outcome = r.Outcome,
                    closedAt = r.ClosedAt,
                    durationMs = r.Duration?.TotalMilliseconds,
                    detail = r.Detail,
                }))));
            }
            else
            {
                CompactHistory.Write(rows, context.Output);
            }
        }, cancellation));
        return command;
    }
}
