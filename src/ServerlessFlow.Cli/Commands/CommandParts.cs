using System.CommandLine;

namespace ServerlessFlow.Cli.Commands;

/// <summary>Arguments and options that several commands take, made fresh for each (a symbol belongs to one command).</summary>
internal static class CommandParts
{
    /// <summary>The workflow ID argument.</summary>
    public static Argument<string> WorkflowId() => new("workflow-id") { Description = "The workflow ID (any text; the tool escapes it in URLs)" };

    /// <summary>The schedule ID argument.</summary>
    public static Argument<string> ScheduleId() => new("schedule-id") { Description = "The schedule ID" };

    /// <summary>A JSON value option (<c>--input</c>), inline or <c>@file</c>.</summary>
    public static Option<string?> Json(string name, string description) => new(name) { Description = description + " (JSON, or @file)" };

    /// <summary>How many items a listing prints at most, following continuation tokens.</summary>
    public static Option<int> Limit() => new("--limit")
    {
        Description = "At most this many items (pages are followed)",
        DefaultValueFactory = _ => 100,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--limit must be at least 1."); } } },
    };

    /// <summary>Where a listing starts: the token a previous listing printed.</summary>
    public static Option<string?> ContinuationToken() => new("--continuation-token") { Description = "Continue a previous listing" };

    /// <summary>A reason recorded with a cancel or terminate.</summary>
    public static Option<string?> Reason() => new("--reason") { Description = "Why (recorded in history)" };
}
