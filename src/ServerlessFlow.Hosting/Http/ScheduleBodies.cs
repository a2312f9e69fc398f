using ServerlessFlow.Schedules;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The body of a schedule create: the members of a <see cref="ScheduleDefinition"/> (<c>spec</c>, <c>action</c>, <c>policies</c>)
/// and, beside them, whether to create it <c>paused</c> and a <c>note</c>.
/// </summary>
internal sealed record CreateScheduleBody
{
    /// <summary>What a create body must be, for error messages.</summary>
    public const string Usage =
        "The body of a schedule create must be a JSON object with \"spec\" (cronExpressions, intervals, startAt, endAt, jitter, timeZone), " +
        "\"action\" (workflowType, input, taskQueue, memo, searchAttributes), and optionally \"policies\" (overlap, catchupWindow), " +
        "\"paused\" and \"note\"; durations as [d.]hh:mm:ss, e.g. " +
        "{\"spec\":{\"intervals\":[{\"every\":\"00:05:00\"}]},\"action\":{\"workflowType\":\"HelloSequence\",\"input\":{\"count\":1}}}";

    /// <summary>When it acts.</summary>
    public required ScheduleSpec Spec { get; init; }

    /// <summary>The workflow it starts.</summary>
    public required ScheduleAction Action { get; init; }

    /// <summary>Overlap and catch-up.</summary>
    public SchedulePolicies Policies { get; init; } = new();

    /// <summary>Create it paused.</summary>
    public bool Paused { get; init; }

    /// <summary>A note: why it exists, why it is paused.</summary>
    public string? Note { get; init; }

    /// <summary>The definition part of the body.</summary>
    public ScheduleDefinition ToDefinition() => new() { Spec = Spec, Action = Action, Policies = Policies };
}

/// <summary>The body of a backfill: the range [<paramref name="StartAt"/>, <paramref name="EndAt"/>) and an optional overlap policy.</summary>
/// <param name="StartAt">The first time of the range (inclusive).</param>
/// <param name="EndAt">The end of the range (exclusive).</param>
/// <param name="Overlap">The overlap policy of the backfilled actions; the schedule's when null.</param>
internal sealed record BackfillScheduleBody(DateTimeOffset StartAt, DateTimeOffset EndAt, ScheduleOverlapPolicy? Overlap = null)
{
    /// <summary>What a backfill body must be, for error messages.</summary>
    public const string Usage =
        "The body of a backfill must be a JSON object with \"startAt\" and \"endAt\" (ISO 8601 with an offset) and optionally \"overlap\" " +
        "(an overlap policy), e.g. {\"startAt\":\"2026-11-01T00:00:00Z\",\"endAt\":\"2026-11-02T00:00:00Z\",\"overlap\":\"BufferAll\"}";
}

/// <summary>Answer of a trigger: the action is buffered under the policy given (the schedule's when null).</summary>
internal sealed record TriggerScheduleResponse(string Id, ScheduleOverlapPolicy? Overlap);

/// <summary>Answer of a backfill: the range is recorded and runs in the schedule's passes.</summary>
internal sealed record BackfillScheduleResponse(string Id, DateTimeOffset StartAt, DateTimeOffset EndAt, ScheduleOverlapPolicy? Overlap);
