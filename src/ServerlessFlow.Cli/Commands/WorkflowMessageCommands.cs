using System.CommandLine;
using System.Globalization;
using ServerlessFlow.Cli.Api;

namespace ServerlessFlow.Cli.Commands;

/// <summary><c>workflow signal|query|update</c>: messages to a workflow, each with an optional JSON argument.</summary>
internal static class WorkflowMessageCommands
{
    /// <summary><c>workflow signal ID NAME [--input] [--request-id]</c>.</summary>
    public static Command Signal(GlobalOptions globals)
    {
        var (id, name, input) = Parts("signal");
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key: a repeated request ID is delivered once" };
        var command = new Command("signal", "Send a signal (recorded durably, delivered in order)") { id, name, input, requestId };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var body = JsonInput.Read(parse.GetValue(input), "--input");
            var path = ApiPath.Of("workflows", parse.GetRequiredValue(id), "signals", parse.GetRequiredValue(name)).With("requestId", parse.GetValue(requestId));
            context.Print((await context.Api.SendAsync(HttpMethod.Post, path, body, cancellation)).Json);
        }, cancellation));
        return command;
    }

    /// <summary><c>workflow query ID NAME [--input]</c>.</summary>
    public static Command Query(GlobalOptions globals)
    {
        var (id, name, input) = Parts("query");
        var command = new Command("query", "Query a workflow's state (changes nothing)") { id, name, input };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var body = JsonInput.Read(parse.GetValue(input), "--input");
            var path = ApiPath.Of("workflows", parse.GetRequiredValue(id), "queries", parse.GetRequiredValue(name));
            var answer = body is null
                ? await context.Api.GetAsync(path, cancellation)
                : await context.Api.SendAsync(HttpMethod.Post, path, body, cancellation);
            context.Print(answer.Json);
        }, cancellation));
        return command;
    }

    /// <summary><c>workflow update ID NAME [--input] [--update-id] [--wait]</c>.</summary>
    public static Command Update(GlobalOptions globals)
    {
        var (id, name, input) = Parts("update");
        var updateId = new Option<string?>("--update-id") { Description = "Idempotency key: a repeated update ID is applied once" };
        var wait = new Option<double?>("--wait") { Description = "Seconds to wait for the result (API default and maximum: 60)" };
        var command = new Command("update", "Send an update: validated, applied, answered") { id, name, input, updateId, wait };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var body = JsonInput.Read(parse.GetValue(input), "--input");
            var path = ApiPath.Of("workflows", parse.GetRequiredValue(id), "updates", parse.GetRequiredValue(name))
                .With("updateId", parse.GetValue(updateId))
                .With("wait", parse.GetValue(wait)?.ToString(CultureInfo.InvariantCulture));
            context.Print((await context.Api.SendAsync(HttpMethod.Post, path, body, cancellation)).Json);
        }, cancellation));
        return command;
    }

    private static (Argument<string> Id, Argument<string> Name, Option<string?> Input) Parts(string what) =>
        (CommandParts.WorkflowId(), new Argument<string>("name") { Description = $"The {what} name" }, CommandParts.Json("--input", $"The {what}'s argument"));
}
