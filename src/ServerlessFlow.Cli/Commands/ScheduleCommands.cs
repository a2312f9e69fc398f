using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFlow.Cli.Api;
using ServerlessFlow.Cli.Output;

namespace ServerlessFlow.Cli.Commands;

/// <summary><c>schedule create|list|describe|update|pause|unpause|trigger|backfill|delete</c>.</summary>
internal static class ScheduleCommands
{
    /// <summary>The <c>schedule</c> command group.</summary>
    public static Command Create(GlobalOptions globals) => new("schedule", "Create and operate schedules that start workflows at times")
    {
        CreateCommand(globals),
        List(globals),
        Describe(globals),
        Update(globals),
        WithNote(globals, "pause", "Pause: no actions until unpaused (times that pass are skipped)"),
        WithNote(globals, "unpause", "Unpause: actions resume from now"),
        Trigger(globals),
        Backfill(globals),
        Delete(globals),
    };

    private static Command CreateCommand(GlobalOptions globals)
    {
        var id = CommandParts.ScheduleId();
        var paused = new Option<bool>("--paused") { Description = "Create it paused" };
        var note = new Option<string?>("--note") { Description = "A note shown by describe" };
        var definition = new ScheduleDefinitionOptions();
        var command = new Command("create", "Create a schedule") { id, paused, note };
        definition.AddTo(command);
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var body = definition.Build(parse);
            if (parse.GetValue(paused))
            {
                body["paused"] = true;
            }

            if (parse.GetValue(note) is { } text)
            {
                body["note"] = text;
            }

            var created = await context.Api.SendAsync(HttpMethod.Post, ApiPath.Of("schedules", parse.GetRequiredValue(id)), body.ToJsonString(), cancellation);
            context.Print(created.Json, ScheduleTable.WriteDescription);
        }, cancellation));
        return command;
    }

    private static Command List(GlobalOptions globals)
    {
        var limit = CommandParts.Limit();
        var token = CommandParts.ContinuationToken();
        var command = new Command("list", "List schedules, in ID order") { limit, token };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var listing = await Paging.ReadAsync(context, () => ApiPath.Of("schedules"), parse.GetValue(limit), parse.GetValue(token), cancellation);
            context.Print(listing, ScheduleTable.WriteList);
        }, cancellation));
        return command;
    }

    private static Command Update(GlobalOptions globals)
    {
        var id = CommandParts.ScheduleId();
        var ifMatch = new Option<string?>("--if-match") { Description = "Update only if the schedule's ETag is still this one (from describe)" };
        var definition = new ScheduleDefinitionOptions();
        var command = new Command("update", "Replace a schedule's definition") { id, ifMatch };
        definition.AddTo(command);
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var updated = await context.Api.SendAsync(HttpMethod.Put, ApiPath.Of("schedules", parse.GetRequiredValue(id)), definition.Build(parse).ToJsonString(), cancellation, parse.GetValue(ifMatch));
            context.Print(updated.Json, ScheduleTable.WriteDescription);
        }, cancellation));
        return command;
    }

    private static Command WithNote(GlobalOptions globals, string action, string description)
    {
        var id = CommandParts.ScheduleId();
        var note = new Option<string?>("--note") { Description = "Why" };
        var command = new Command(action, description) { id, note };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var answer = await context.Api.SendAsync(HttpMethod.Post, ApiPath.Of("schedules", parse.GetRequiredValue(id), action).With("note", parse.GetValue(note)), null, cancellation);
            context.Print(answer.Json, ScheduleTable.WriteDescription);
        }, cancellation));
        return command;
    }

    private static Command Trigger(GlobalOptions globals)
    {
        var id = CommandParts.ScheduleId();
        var overlap = new Option<string?>("--overlap") { Description = "The overlap policy for this action (default: the schedule's)" };
        var command = new Command("trigger", "Take an action now, also while paused") { id, overlap };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var answer = await context.Api.SendAsync(HttpMethod.Post, ApiPath.Of("schedules", parse.GetRequiredValue(id), "trigger").With("overlap", parse.GetValue(overlap)), null, cancellation);
            context.Print(answer.Json);
        }, cancellation));
        return command;
    }

    private static Command Backfill(GlobalOptions globals)
    {
        var id = CommandParts.ScheduleId();
        var start = new Option<string>("--start-at") { Description = "First time of the range (inclusive)", Required = true };
        var end = new Option<string>("--end-at") { Description = "End of the range (exclusive)", Required = true };
        var overlap = new Option<string?>("--overlap") { Description = "The overlap policy for these actions" };
        var command = new Command("backfill", "Take the actions of a past range") { id, start, end, overlap };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var body = new JsonObject { ["startAt"] = parse.GetRequiredValue(start), ["endAt"] = parse.GetRequiredValue(end) };
            if (parse.GetValue(overlap) is { } policy)
            {
                body["overlap"] = policy;
            }

            var answer = await context.Api.SendAsync(HttpMethod.Post, ApiPath.Of("schedules", parse.GetRequiredValue(id), "backfill"), body.ToJsonString(), cancellation);
            context.Print(answer.Json);
        }, cancellation));
        return command;
    }

    private static Command Delete(GlobalOptions globals)
    {
        var id = CommandParts.ScheduleId();
        var command = new Command("delete", "Delete a schedule (its workflows go on)") { id };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var scheduleId = parse.GetRequiredValue(id);
            await context.Api.SendAsync(HttpMethod.Delete, ApiPath.Of("schedules", scheduleId), null, cancellation);
            context.Print(JsonSerializer.SerializeToElement(new { id = scheduleId, deleted = true }));
        }, cancellation));
        return command;
    }

    private static Command Describe(GlobalOptions globals)
    {
        var id = CommandParts.ScheduleId();
        var command = new Command("describe", "Describe a schedule: definition, next and recent actions, counters") { id };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
            context.Print((await context.Api.GetAsync(ApiPath.Of("schedules", parse.GetRequiredValue(id)), cancellation)).Json, ScheduleTable.WriteDescription), cancellation));
        return command;
    }
}
