using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFlow.Cli.Api;
using ServerlessFlow.Cli.Output;

namespace ServerlessFlow.Cli.Commands;

/// <summary><c>workflow start|describe|result|list|history|show</c>; the message and control commands are in their own files.</summary>
internal static class WorkflowCommands
{
    /// <summary>The API's longest single wait for a result; longer waits are several calls.</summary>
    private const int MaxWaitPerCall = 60;

    /// <summary>The <c>workflow</c> command group.</summary>
    public static Command Create(GlobalOptions globals) => new("workflow", "Start, inspect and operate workflows")
    {
        Start(globals),
        Describe(globals),
        Result(globals),
        WorkflowHistoryCommands.Show(globals),
        List(globals),
        WorkflowMessageCommands.Signal(globals),
        WorkflowMessageCommands.Query(globals),
        WorkflowMessageCommands.Update(globals),
        WorkflowControlCommands.Cancel(globals),
        WorkflowControlCommands.Terminate(globals),
        WorkflowControlCommands.Suspend(globals),
        WorkflowControlCommands.Resume(globals),
        WorkflowControlCommands.Purge(globals),
        WorkflowHistoryCommands.History(globals),
    };

    private static Command Start(GlobalOptions globals)
    {
        var type = new Argument<string>("type") { Description = "A registered workflow type" };
        var id = new Option<string?>("--id") { Description = "The workflow ID (default: the server picks a GUID)" };
        var input = CommandParts.Json("--input", "The workflow's input");
        var taskQueue = new Option<string?>("--task-queue") { Description = "The task queue (default: default)" };
        var memo = CommandParts.Json("--memo", "A memo: an object of names and values");
        var searchAttributes = new Option<string[]>("--search-attribute", "--sa") { Description = "Name=Value (repeatable; the value is JSON when it parses, text otherwise)" };
        var startDelay = new Option<double?>("--start-delay") { Description = "Seconds before the run's first workflow task (at most a year; the run exists at once)" };
        var command = new Command("start", "Start a workflow") { type, id, input, taskQueue, memo, searchAttributes, startDelay };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var inputJson = JsonInput.Read(parse.GetValue(input), "--input");
            var memoJson = JsonInput.Read(parse.GetValue(memo), "--memo");
            var attributes = parse.GetValue(searchAttributes) ?? [];
            var path = ApiPath.Of("workflows", parse.GetRequiredValue(type)).With("id", parse.GetValue(id)).With("taskQueue", parse.GetValue(taskQueue))
                .With("startDelay", parse.GetValue(startDelay)?.ToString(CultureInfo.InvariantCulture));
            var body = inputJson;
            if (memoJson is not null || attributes.Length > 0)
            {
                // Memo and search attributes travel in the start envelope (docs/http-api.md, envelope=true).
                var envelope = new JsonObject();
                if (inputJson is not null)
                {
                    envelope["input"] = JsonNode.Parse(inputJson);
                }

                if (memoJson is not null)
                {
                    envelope["memo"] = JsonNode.Parse(memoJson);
                }

                if (attributes.Length > 0)
                {
                    var values = new JsonObject();
                    foreach (var (name, value) in attributes.Select(a => JsonInput.ReadPair(a, "--search-attribute")))
                    {
                        values[name] = JsonNode.Parse(value.GetRawText());
                    }

                    envelope["searchAttributes"] = values;
                }

                body = envelope.ToJsonString();
                path.With("envelope", "true");
            }

            var started = await context.Api.SendAsync(HttpMethod.Post, path, body, cancellation);
            context.Print(started.Json);
        }, cancellation));
        return command;
    }

    private static Command Describe(GlobalOptions globals)
    {
        var id = CommandParts.WorkflowId();
        var command = new Command("describe", "Describe a workflow's current run: status, times, input, result or failure, pending work") { id };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var description = await context.Api.GetAsync(ApiPath.Of("workflows", parse.GetRequiredValue(id)), cancellation);
            context.Print(description.Json, WorkflowDescriptionTable.Write);
        }, cancellation));
        return command;
    }

    private static Command Result(GlobalOptions globals)
    {
        var id = CommandParts.WorkflowId();
        var wait = new Option<double>("--wait")
        {
            Description = "Seconds to wait for the run to close (0: answer at once)",
            DefaultValueFactory = _ => 60,
            Validators = { r => { if (r.GetValueOrDefault<double>() < 0) { r.AddError("--wait must not be negative."); } } },
        };
        var command = new Command("result", "Wait for a workflow's outcome; prints its status and result or failure") { id, wait };
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var deadline = DateTimeOffset.UtcNow.AddSeconds(parse.GetValue(wait));
            ApiResponse response;
            do
            {
                var seconds = Math.Clamp((deadline - DateTimeOffset.UtcNow).TotalSeconds, 0, MaxWaitPerCall);
                response = await context.Api.GetAsync(
                    ApiPath.Of("workflows", parse.GetRequiredValue(id), "result").With("wait", seconds.ToString("0.###", CultureInfo.InvariantCulture)),
                    cancellation);
            }
            while (response.Status == System.Net.HttpStatusCode.Accepted && DateTimeOffset.UtcNow < deadline);

            context.Print(response.Json);
        }, cancellation));
        return command;
    }

    private static Command List(GlobalOptions globals)
    {
        var filters = new ListFilters();
        var limit = CommandParts.Limit();
        var token = CommandParts.ContinuationToken();
        var command = new Command("list", "List workflows, newest first") { limit, token };
        filters.AddTo(command);
        command.SetAction((parse, cancellation) => CliContext.RunAsync(parse, globals, async context =>
        {
            var listing = await Paging.ReadAsync(context, () => filters.Apply(parse, ApiPath.Of("workflows")), parse.GetValue(limit), parse.GetValue(token), cancellation);
            context.Print(listing, (body, output) =>
            {
                var table = new Table("WORKFLOW ID", "TYPE", "STATUS", "STARTED", "CLOSED", "RUN ID");
                foreach (var item in body.GetProperty("items").EnumerateArray())
                {
                    table.Add(item.Text("id"), item.Text("type"), WorkflowDescriptionTable.Status(item), item.Time("createdAt"), item.Time("closedAt"), item.Text("runId"));
                }

                table.WriteTo(output);
                Paging.WriteMore(body, output);
            });
        }, cancellation));
        return command;
    }
}
