using System.CommandLine;
using System.Text.Json.Nodes;

namespace ServerlessFlow.Cli.Commands;

/// <summary>
/// A schedule definition from options (<c>--cron</c>, <c>--interval</c>, <c>--workflow-type</c> …) or whole from
/// <c>--definition</c> (JSON or @file, as the API takes it: docs/http-api.md, "The definition").
/// </summary>
internal sealed class ScheduleDefinitionOptions
{
    private readonly Option<string?> definition = CommandParts.Json("--definition", "The whole definition {spec, action, policies}; replaces the options below");
    private readonly Option<string[]> cron = new("--cron") { Description = "A cron expression (repeatable), e.g. '0 2 * * *' or '@every 90m'" };
    private readonly Option<string[]> interval = new("--interval") { Description = "Every period, [d.]hh:mm:ss, with an optional /offset (repeatable), e.g. 01:00:00/00:15:00" };
    private readonly Option<string?> startAt = new("--start-at") { Description = "No action before this time" };
    private readonly Option<string?> endAt = new("--end-at") { Description = "No action after this time" };
    private readonly Option<string?> jitter = new("--jitter") { Description = "Delay each action by up to this much" };
    private readonly Option<string?> timeZone = new("--time-zone") { Description = "IANA zone of the cron expressions" };
    private readonly Option<string?> workflowType = new("--workflow-type") { Description = "The workflow type each action starts" };
    private readonly Option<string?> input = CommandParts.Json("--input", "The workflow's input");
    private readonly Option<string?> taskQueue = new("--task-queue") { Description = "The workflow's task queue" };
    private readonly Option<string?> overlap = new("--overlap") { Description = "Skip, BufferOne, BufferAll, CancelOther, TerminateOther or AllowAll" };
    private readonly Option<string?> catchupWindow = new("--catchup-window") { Description = "Missed actions older than this are not taken late" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { definition, cron, interval, startAt, endAt, jitter, timeZone, workflowType, input, taskQueue, overlap, catchupWindow })
        {
            command.Add(option);
        }
    }

    /// <summary>The definition as a JSON object the API takes.</summary>
    public JsonObject Build(ParseResult parse)
    {
        if (JsonInput.Read(parse.GetValue(definition), "--definition") is { } whole)
        {
            return JsonNode.Parse(whole) as JsonObject ?? throw new UsageException("--definition must be a JSON object {spec, action, policies}.");
        }

        var type = parse.GetValue(workflowType) ?? throw new UsageException("Give --workflow-type (or the whole --definition).");
        var crons = parse.GetValue(cron) ?? [];
        var intervals = parse.GetValue(interval) ?? [];
        if (crons.Length == 0 && intervals.Length == 0)
        {
            throw new UsageException("Give at least one --cron or --interval (or the whole --definition).");
        }

        var spec = new JsonObject
        {
            ["cronExpressions"] = new JsonArray([.. crons.Select(c => (JsonNode?)JsonValue.Create(c))]),
            ["intervals"] = new JsonArray([.. intervals.Select(Interval)]),
        };
        AddIfGiven(spec, "startAt", parse.GetValue(startAt));
        AddIfGiven(spec, "endAt", parse.GetValue(endAt));
        AddIfGiven(spec, "jitter", parse.GetValue(jitter));
        AddIfGiven(spec, "timeZone", parse.GetValue(timeZone));

        var action = new JsonObject { ["workflowType"] = type };
        if (JsonInput.Read(parse.GetValue(input), "--input") is { } inputJson)
        {
            action["input"] = JsonNode.Parse(inputJson);
        }

        AddIfGiven(action, "taskQueue", parse.GetValue(taskQueue));
        var policies = new JsonObject();
        AddIfGiven(policies, "overlap", parse.GetValue(overlap));
        AddIfGiven(policies, "catchupWindow", parse.GetValue(catchupWindow));
        return new JsonObject { ["spec"] = spec, ["action"] = action, ["policies"] = policies };
    }

    private static JsonNode Interval(string text)
    {
        var parts = text.Split('/', 2);
        var node = new JsonObject { ["every"] = parts[0] };
        if (parts.Length == 2)
        {
            node["offset"] = parts[1];
        }

        return node;
    }

    private static void AddIfGiven(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }
}
