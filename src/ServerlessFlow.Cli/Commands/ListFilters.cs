using System.CommandLine;
using ServerlessFlow.Cli.Api;

namespace ServerlessFlow.Cli.Commands;

/// <summary>The list filters of <c>GET /workflows</c>, shared by <c>workflow list</c> and <c>workflow purge</c>.</summary>
internal sealed class ListFilters
{
    private readonly Option<string?> status = new("--status") { Description = "Running, Completed, Failed, Canceled, Terminated, ContinuedAsNew or TimedOut" };
    private readonly Option<string?> type = new("--type") { Description = "A workflow type" };
    private readonly Option<string?> idPrefix = new("--id-prefix") { Description = "IDs that start with this text" };
    private readonly Option<string?> startedAfter = new("--started-after") { Description = "Started at or after (ISO 8601 with an offset)" };
    private readonly Option<string?> startedBefore = new("--started-before") { Description = "Started before" };
    private readonly Option<string?> closedAfter = new("--closed-after") { Description = "Closed at or after" };
    private readonly Option<string?> closedBefore = new("--closed-before") { Description = "Closed before" };
    private readonly Option<bool> suspended = new("--suspended") { Description = "Only suspended workflows (running, held by a suspend)" };
    private readonly Option<string[]> searchAttributes = new("--search-attribute", "--sa")
    {
        Description = "Name=Value, or Name.ge|gt|le|lt=Value (repeatable; quote text that looks like a number: Name='\"007\"')",
    };

    /// <summary>Adds the filter options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { status, type, idPrefix, startedAfter, startedBefore, closedAfter, closedBefore, suspended, searchAttributes })
        {
            command.Add(option);
        }
    }

    /// <summary>True when any filter is given.</summary>
    public bool AnyGiven(ParseResult parse) =>
        new[] { status, type, idPrefix, startedAfter, startedBefore, closedAfter, closedBefore }.Any(o => parse.GetValue(o) is not null)
        || parse.GetValue(suspended)
        || (parse.GetValue(searchAttributes)?.Length ?? 0) > 0;

    /// <summary>Adds the given filters to <paramref name="path"/> as the API names them.</summary>
    public ApiPath Apply(ParseResult parse, ApiPath path)
    {
        path.With("status", parse.GetValue(status))
            .With("type", parse.GetValue(type))
            .With("idPrefix", parse.GetValue(idPrefix))
            .With("startedAfter", parse.GetValue(startedAfter))
            .With("startedBefore", parse.GetValue(startedBefore))
            .With("closedAfter", parse.GetValue(closedAfter))
            .With("closedBefore", parse.GetValue(closedBefore))
            .With("suspended", parse.GetValue(suspended) ? "true" : null);
        foreach (var pair in parse.GetValue(searchAttributes) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--search-attribute '{pair}' is not Name=Value (or Name.ge=Value).");
            }

            // The API reads the value by its form (docs/http-api.md, List): it is passed on exactly as typed.
            path.With("sa." + pair[..equals], pair[(equals + 1)..]);
        }

        return path;
    }
}
