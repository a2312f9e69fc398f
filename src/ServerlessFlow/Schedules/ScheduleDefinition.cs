namespace ServerlessFlow.Schedules;

/// <summary>What a schedule does and when: the part a user writes (create and update take it whole).</summary>
public sealed record ScheduleDefinition
{
    /// <summary>When it acts.</summary>
    public required ScheduleSpec Spec { get; init; }

    /// <summary>The workflow it starts.</summary>
    public required ScheduleAction Action { get; init; }

    /// <summary>Overlap and catch-up.</summary>
    public SchedulePolicies Policies { get; init; } = new();
}

/// <summary>The workflow a schedule starts at each action. Its ID is "{scheduleId}-{nominal time, yyyy-MM-ddTHH:mm:ssZ}".</summary>
public sealed record ScheduleAction
{
    /// <summary>A registered workflow type.</summary>
    public required string WorkflowType { get; init; }

    /// <summary>The run method's argument; null for none.</summary>
    public object? Input { get; init; }

    /// <summary>Task queue; "default" when null.</summary>
    public string? TaskQueue { get; init; }

    /// <summary>Memo of every started workflow.</summary>
    public IReadOnlyDictionary<string, object?>? Memo { get; init; }

    /// <summary>Search attributes of every started workflow, besides the built-in ScheduledById and ScheduledStartTime.</summary>
    public IReadOnlyDictionary<string, object?>? SearchAttributes { get; init; }
}

/// <summary>How a schedule treats actions that overlap a running workflow or were missed.</summary>
public sealed record SchedulePolicies
{
    /// <summary>What happens when an action is due while a workflow this schedule started is still open.</summary>
    public ScheduleOverlapPolicy Overlap { get; init; } = ScheduleOverlapPolicy.Skip;

    /// <summary>Actions missed (nothing was running to take them) by more than this are not taken late; at least 10 seconds.</summary>
    public TimeSpan CatchupWindow { get; init; } = TimeSpan.FromDays(365);
}

/// <summary>Temporal's overlap policies.</summary>
public enum ScheduleOverlapPolicy
{
    /// <summary>Do not start; the time is skipped.</summary>
    Skip,

    /// <summary>Start after the open workflow closes; only one action waits, later ones are dropped.</summary>
    BufferOne,

    /// <summary>Start after the open workflow closes; every action waits, in order, one at a time.</summary>
    BufferAll,

    /// <summary>Cancel the open workflow and start when it has closed.</summary>
    CancelOther,

    /// <summary>Terminate the open workflow and start at once.</summary>
    TerminateOther,

    /// <summary>Start at once, whatever is open.</summary>
    AllowAll,
}
