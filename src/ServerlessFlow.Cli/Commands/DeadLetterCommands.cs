using System.CommandLine;
using System.Text.Json;
using ServerlessFlow.Cli.Api;
using ServerlessFlow.Cli.Output;

namespace ServerlessFlow.Cli.Commands;

/// <summary><c>deadletter list|replay|delete</c>.</summary>
internal static class DeadLetterCommands
{
    /// <summary>The <c>deadletter</c> command group.</summary>
    public static Command Create(GlobalOptions globals) => new("deadletter", "Inspect, replay and drop task messages no worker could handle")
    {
        List(globals),
        Replay(globals),
        Delete(globals),
    };

    private static Command List(GlobalOptions globals)
    {
        var queue = new Option<string?>("--queue") { Description = "Only this logical queue, e.g. wf-default" };
        var limit = CommandParts.Limit();
        var token = CommandParts.ContinuationToken();
        var command = new Command("list", "List dead letters") { queue, limit, token };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var listing = await Paging.ReadAsync(context, () => ApiPath.Of("deadletters").With("queue", parse.GetValue(queue)), parse.GetValue(limit), parse.GetValue(token), cancellation);
            context.Print(listing, (body, output) =>
            {
                var table = new Table("DEAD LETTER ID", "WORKFLOW ID", "DEQUEUES", "DEAD-LETTERED AT", "REASON");
                foreach (var item in body.GetProperty("items").EnumerateArray())
                {
                    table.Add(item.Text("id"), item.Text("workflowId"), item.Text("dequeueCount"), item.Time("deadLetteredAt"), item.Text("reason"));
                }

                table.WriteTo(output);
                Paging.WriteMore(body, output);
            });
        }, cancellation));
        return command;
    }

    private static Command Replay(GlobalOptions globals)
    {
        var id = DeadLetterId();
        var command = new Command("replay", "Put a dead letter back on its queue") { id };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
            context.Print((await context.Api.SendAsync(HttpMethod.Post, ApiPath.Of("deadletters", parse.GetRequiredValue(id), "replay"), null, cancellation)).Json), cancellation));
        return command;
    }

    private static Command Delete(GlobalOptions globals)
    {
        var id = DeadLetterId();
        var command = new Command("delete", "Drop a dead letter") { id };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var deadLetterId = parse.GetRequiredValue(id);
            await context.Api.SendAsync(HttpMethod.Delete, ApiPath.Of("deadletters", deadLetterId), null, cancellation);
            context.Print(JsonSerializer.SerializeToElement(new { id = deadLetterId, deleted = true }));
        }, cancellation));
        return command;
    }

    private static Argument<string> DeadLetterId() => new("dead-letter-id") { Description = "The dead letter's ID, {queue}.{messageId}, from the list" };
}
