using System.Text.Json;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Execution;

/// <summary>
/// Something the workflow code asked for. While replaying, each command must match the next recorded
/// command event; in a new task, each becomes a new event.
/// </summary>
internal abstract record Command
{
    /// <summary>Whether a recorded event is this command.</summary>
    public abstract bool Matches(HistoryEvent recorded);

    /// <summary>The event that records this command.</summary>
    public abstract HistoryEvent ToEvent(long eventId, DateTimeOffset now);

    /// <summary>Called once the command has its event (new, or matched while replaying), so completions can find their awaiter.</summary>
    public virtual void Bind(HistoryEvent recorded)
    {
    }

    /// <summary>A short description for non-determinism messages.</summary>
    public abstract string Describe();
}

internal sealed record ScheduleActivityCommand(string ActivityName, JsonElement Input, string TaskQueue, ActivityOptions Options, Action<long> OnBound) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is ActivityScheduled s && s.ActivityName == ActivityName;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new ActivityScheduled
    {
        EventId = eventId, Timestamp = now, ActivityName = ActivityName, Input = Input, TaskQueue = TaskQueue, Options = Options,
    };

    public override void Bind(HistoryEvent recorded) => OnBound(recorded.EventId);

    public override string Describe() => $"ScheduleActivity '{ActivityName}'";
}

internal sealed record StartTimerCommand(TimeSpan Delay, Action<long> OnBound) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is TimerStarted;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new TimerStarted { EventId = eventId, Timestamp = now, FireAt = now + Delay };

    public override void Bind(HistoryEvent recorded) => OnBound(recorded.EventId);

    public override string Describe() => $"StartTimer {Delay}";
}

internal sealed record CompleteWorkflowCommand(JsonElement? Result) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is WorkflowCompleted;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new WorkflowCompleted { EventId = eventId, Timestamp = now, Result = Result };

    public override string Describe() => "CompleteWorkflow";
}

internal sealed record FailWorkflowCommand(FailureInfo Failure) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is WorkflowFailed;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new WorkflowFailed { EventId = eventId, Timestamp = now, Failure = Failure };

    public override string Describe() => $"FailWorkflow ({Failure.Type}: {Failure.Message})";
}

internal sealed record RecordMarkerCommand(string PatchId, bool Deprecated) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is MarkerRecorded m && m.PatchId == PatchId;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new MarkerRecorded { EventId = eventId, Timestamp = now, PatchId = PatchId, Deprecated = Deprecated };

    public override string Describe() => $"RecordMarker '{PatchId}'";
}

internal sealed record UpsertSearchAttributesCommand(IReadOnlyDictionary<string, System.Text.Json.JsonElement?> Changes) : Command
{
    public override bool Matches(HistoryEvent recorded) =>
        recorded is SearchAttributesUpserted u && u.Changes.Keys.Order(StringComparer.Ordinal).SequenceEqual(Changes.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new SearchAttributesUpserted { EventId = eventId, Timestamp = now, Changes = Changes };

    public override string Describe() => $"UpsertSearchAttributes ({string.Join(", ", Changes.Keys)})";
}

internal sealed record CancelWorkflowCommand(string? Reason) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is WorkflowCanceled;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new WorkflowCanceled { EventId = eventId, Timestamp = now, Reason = Reason };

    public override string Describe() => "CancelWorkflow";
}

internal sealed record ContinueAsNewCommand(JsonElement? Input, IReadOnlyList<string>? SignalRequestIds) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is WorkflowContinuedAsNew;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) =>
        new WorkflowContinuedAsNew { EventId = eventId, Timestamp = now, NewRunId = Guid.NewGuid().ToString("N"), Input = Input, SignalRequestIds = SignalRequestIds };

    public override string Describe() => "ContinueAsNew";
}

internal sealed record CompleteUpdateCommand(string UpdateId, JsonElement? Result, FailureInfo? Failure) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is WorkflowUpdateCompleted u && u.UpdateId == UpdateId;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) =>
        new WorkflowUpdateCompleted { EventId = eventId, Timestamp = now, UpdateId = UpdateId, Result = Result, Failure = Failure };

    public override string Describe() => $"CompleteUpdate '{UpdateId}'";
}

internal sealed record ScheduleChildCommand(
    string WorkflowId, string RunId, string WorkflowType, JsonElement? Input, string TaskQueue, ChildWorkflowOptions Options,
    IReadOnlyDictionary<string, JsonElement>? Memo, IReadOnlyDictionary<string, JsonElement>? SearchAttributes, bool ReportsStart, Action<long, string> OnBound) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is ChildWorkflowScheduled c && c.WorkflowType == WorkflowType;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new ChildWorkflowScheduled
    {
        EventId = eventId, Timestamp = now, ChildWorkflowId = Options.Id ?? DefaultChildId(WorkflowId, RunId, eventId), WorkflowType = WorkflowType,
        Input = Input, TaskQueue = TaskQueue, ParentClosePolicy = Options.ParentClosePolicy, Memo = Memo, SearchAttributes = SearchAttributes,
        ReportsStart = ReportsStart,
    };

    /// <summary>Binds the ID history recorded: older histories hold IDs of an earlier default format.</summary>
    public override void Bind(HistoryEvent recorded) => OnBound(recorded.EventId, ((ChildWorkflowScheduled)recorded).ChildWorkflowId);

    public override string Describe() => $"StartChildWorkflow '{WorkflowType}'";

    /// <summary>
    /// A child's ID when the options give none: the parent's ID, its run and the scheduling event. The run is part of it because
    /// event IDs start again after a continue-as-new: without it the new run's first child would take the ID of the old run's,
    /// and find it in use (or reuse a closed child's ID, so that the old run's child reports reached the new run).
    /// </summary>
    public static string DefaultChildId(string parentId, string runId, long eventId) => $"{parentId}-child-{runId}-{eventId}";
}

internal sealed record CancelTimerCommand(long StartedEventId) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is TimerCanceled c && c.StartedEventId == StartedEventId;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new TimerCanceled { EventId = eventId, Timestamp = now, StartedEventId = StartedEventId };

    public override string Describe() => $"CancelTimer {StartedEventId}";
}

internal sealed record CancelActivityCommand(long ScheduledEventId) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is ActivityCanceled c && c.ScheduledEventId == ScheduledEventId;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new ActivityCanceled { EventId = eventId, Timestamp = now, ScheduledEventId = ScheduledEventId };

    public override string Describe() => $"CancelActivity {ScheduledEventId}";
}

internal sealed record SignalExternalCommand(string TargetWorkflowId, string? TargetRunId, string SignalName, JsonElement? Input, Action<long> OnBound) : Command
{
    public override bool Matches(HistoryEvent recorded) =>
        recorded is ExternalWorkflowSignalRequested s && s.SignalName == SignalName && s.TargetWorkflowId == TargetWorkflowId;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) => new ExternalWorkflowSignalRequested
    {
        EventId = eventId, Timestamp = now, TargetWorkflowId = TargetWorkflowId, TargetRunId = TargetRunId, SignalName = SignalName, Input = Input,
    };

    public override void Bind(HistoryEvent recorded) => OnBound(recorded.EventId);

    public override string Describe() => $"SignalExternalWorkflow '{SignalName}' to '{TargetWorkflowId}'";
}

internal sealed record CancelExternalCommand(string TargetWorkflowId, string? TargetRunId, Action<long> OnBound) : Command
{
    public override bool Matches(HistoryEvent recorded) => recorded is ExternalWorkflowCancelRequested c && c.TargetWorkflowId == TargetWorkflowId;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now) =>
        new ExternalWorkflowCancelRequested { EventId = eventId, Timestamp = now, TargetWorkflowId = TargetWorkflowId, TargetRunId = TargetRunId };

    public override void Bind(HistoryEvent recorded) => OnBound(recorded.EventId);

    public override string Describe() => $"CancelExternalWorkflow '{TargetWorkflowId}'";
}
