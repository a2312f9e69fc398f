using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ServerlessFlow.Cli.Api;
using ServerlessFlow.Cli.Output;

namespace ServerlessFlow.Cli.Commands;

/// <summary><c>workflow cancel|terminate|suspend|resume|purge</c>.</summary>
internal static class WorkflowControlCommands
{
    /// <summary>The API's default and the tool's batch of a purge by filter.</summary>
    private const int DefaultPurgeBatch = 100;

    /// <summary><c>workflow cancel ID [--reason]</c>.</summary>
    public static Command Cancel(GlobalOptions globals) =>
        RunCommand(globals, "cancel", "Ask the run to cancel: its code runs its cleanup");

    /// <summary><c>workflow terminate ID [--reason]</c>.</summary>
    public static Command Terminate(GlobalOptions globals) =>
        RunCommand(globals, "terminate", "Terminate the run at once: no workflow code runs");

    /// <summary><c>workflow suspend ID [--reason]</c>: hold the run; kept work is applied on resume.</summary>
    public static Command Suspend(GlobalOptions globals) =>
        RunCommand(globals, "suspend", "Hold the run: no workflow code runs and no new activities start; signals, outcomes and due timers wait for resume");

    /// <summary><c>workflow resume ID</c>.</summary>
    public static Command Resume(GlobalOptions globals) =>
        RunCommand(globals, "resume", "Release a suspended run: the work kept while it was held is applied at once", withReason: false);

    /// <summary><c>workflow purge ID</c>, or <c>workflow purge --yes [filters] [--max]</c> for every closed workflow that matches.</summary>
    public static Command Purge(GlobalOptions globals)
    {
        var id = new Argument<string?>("workflow-id") { Description = "The closed workflow to purge (omit to purge by filter)", Arity = ArgumentArity.ZeroOrOne };
        var yes = new Option<bool>("--yes") { Description = "Confirm a purge by filter (it deletes every closed workflow that matches)" };
        var max = new Option<int>("--max") { Description = "Purge by filter: at most this many", DefaultValueFactory = _ => int.MaxValue };
        var filters = new ListFilters();
        var command = new Command("purge", "Delete closed workflows now: history, rows and index entries") { id, yes, max };
        filters.AddTo(command);
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            if (parse.GetValue(id) is { } workflowId)
            {
                if (filters.AnyGiven(parse))
                {
                    throw new UsageException("Give a workflow ID or filters, not both.");
                }

                await context.Api.SendAsync(HttpMethod.Delete, ApiPath.Of("workflows", workflowId), null, cancellation);
                context.Print(JsonSerializer.SerializeToElement(new { id = workflowId, purged = true }));
                return;
            }

            if (!parse.GetValue(yes))
            {
                throw new UsageException("A purge by filter deletes every closed workflow that matches (all of them without a filter): add --yes to confirm, or give a workflow ID.");
            }

            await PurgeByFilterAsync(context, parse, filters, parse.GetValue(max), cancellation);
        }, cancellation));
        return command;
    }

    private static async Task PurgeByFilterAsync(CliContext context, ParseResult parse, ListFilters filters, int max, CancellationToken cancellation)
    {
        int purged = 0, skipped = 0;
        string? token = null;
        do
        {
            var batch = Math.Min(DefaultPurgeBatch, max - purged);
            var path = filters.Apply(parse, ApiPath.Of("workflows"))
                .With("max", batch.ToString(CultureInfo.InvariantCulture))
                .With("continuationToken", token);
            var answer = (await context.Api.SendAsync(HttpMethod.Delete, path, null, cancellation)).Json;
            purged += answer.GetProperty("purged").GetInt32();
            skipped += answer.GetProperty("skipped").GetInt32();
            token = answer.Member("continuationToken")?.GetString();
        }
        while (token is not null && purged < max);

        context.Print(JsonSerializer.SerializeToElement(new { purged, skipped }));
    }

    private static Command RunCommand(GlobalOptions globals, string action, string description, bool withReason = true)
    {
        var id = CommandParts.WorkflowId();
        var reason = CommandParts.Reason();
        var command = new Command(action, description) { id };
        if (withReason)
        {
            command.Options.Add(reason);
        }

        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var path = ApiPath.Of("workflows", parse.GetRequiredValue(id), action).With("reason", withReason ? parse.GetValue(reason) : null);
            context.Print((await context.Api.SendAsync(HttpMethod.Post, path, null, cancellation)).Json);
        }, cancellation));
        return command;
    }
}
