using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// The wire form of every <see cref="TaskMessage"/>: one JSON object with the discriminator <c>k</c> and short property names, each
/// kind using the fields it has and leaving the others null. It is the shape earlier versions wrote as their one message record,
/// property for property and in the same order, so what they sent parses here and what is sent here parses there (a rolling
/// upgrade); a change to it breaks messages in flight and outboxes stored in instance rows. The golden strings in
/// <c>TaskMessageWireTests</c> hold it.
/// </summary>
internal sealed record TaskMessageWire
{
    [JsonPropertyName("k")]
    public required TaskKind Kind { get; init; }

    /// <summary>The workflow ID; the schedule ID of a schedule pass; "retention" for a retention batch (earlier versions require one).</summary>
    [JsonPropertyName("w")]
    public required string WorkflowId { get; init; }

    [JsonPropertyName("r")]
    public string? RunId { get; init; }

    /// <summary>The scheduled event of an activity, a child or a request to another workflow; a child's closing event.</summary>
    [JsonPropertyName("e")]
    public long? ScheduledEventId { get; init; }

    [JsonPropertyName("te")]
    public long? ThroughScheduledEventId { get; init; }

    /// <summary>An activity's attempt; how many times a parent close policy was tried.</summary>
    [JsonPropertyName("a")]
    public int? Attempt { get; init; }

    /// <summary>A timer wake-up's due time; a schedule's wake time; the time an activity check was armed for.</summary>
    [JsonPropertyName("t")]
    public DateTimeOffset? TimerAt { get; init; }

    [JsonPropertyName("p")]
    public ParentClosePolicy? Policy { get; init; }

    [JsonPropertyName("pl")]
    public ParentLink? Parent { get; init; }

    [JsonPropertyName("f")]
    public int? Failures { get; init; }

    [JsonPropertyName("sd")]
    public long? SettledDeliveries { get; init; }

    [JsonPropertyName("v")]
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>The wire form of <paramref name="message"/>.</summary>
    public static TaskMessageWire From(TaskMessage message)
    {
        var wire = message switch
        {
            WorkflowTaskMessage m => new TaskMessageWire { Kind = m.Kind, WorkflowId = m.WorkflowId, RunId = m.RunId, TimerAt = m.TimerAt },
            ActivityTaskMessage m => new TaskMessageWire
            {
                Kind = m.Kind, WorkflowId = m.WorkflowId, RunId = m.RunId, ScheduledEventId = m.ScheduledEventId, ThroughScheduledEventId = m.ThroughScheduledEventId,
                Attempt = m.Attempt,
            },
            ActivityTimeoutMessage m => new TaskMessageWire
            {
                Kind = m.Kind, WorkflowId = m.WorkflowId, RunId = m.RunId, ScheduledEventId = m.ScheduledEventId, ThroughScheduledEventId = m.ThroughScheduledEventId,
                Attempt = m.Attempt,
            },
            ActivityCheckMessage m => new TaskMessageWire { Kind = m.Kind, WorkflowId = m.WorkflowId, RunId = m.RunId, TimerAt = m.CheckAt },
            StartChildMessage m => new TaskMessageWire { Kind = m.Kind, WorkflowId = m.WorkflowId, RunId = m.RunId, ScheduledEventId = m.ScheduledEventId },
            ChildClosedMessage m => new TaskMessageWire { Kind = m.Kind, WorkflowId = m.WorkflowId, RunId = m.RunId, ScheduledEventId = m.ClosingEventId, Parent = m.Parent },
            ParentClosedMessage m => new TaskMessageWire
            {
                Kind = m.Kind, WorkflowId = m.WorkflowId, RunId = m.ParentRunId, ScheduledEventId = m.ScheduledEventId, Attempt = m.Attempt, Policy = m.Policy,
            },
            ExternalRequestMessage m => new TaskMessageWire { Kind = m.Kind, WorkflowId = m.WorkflowId, RunId = m.RunId, ScheduledEventId = m.RequestEventId },
            ScheduleMessage m => new TaskMessageWire { Kind = m.Kind, WorkflowId = m.ScheduleId, TimerAt = m.WakeAt },
            RetentionMessage m => new TaskMessageWire { Kind = m.Kind, WorkflowId = RetentionMessage.WireWorkflowId },
            _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType(), "Not a task message kind."),
        };
        return wire with { Failures = message.Failures, SettledDeliveries = message.SettledDeliveries, DueAt = message.DueAt };
    }

    /// <summary>The message this wire form stands for.</summary>
    /// <exception cref="JsonException">The kind is unknown, or a field the kind needs is missing: the body is not a task message.</exception>
    public TaskMessage ToMessage()
    {
        if (WorkflowId.Length == 0)
        {
            throw new JsonException("'w' is empty.");
        }

        TaskMessage message = Kind switch
        {
            TaskKind.Workflow => new WorkflowTaskMessage { WorkflowId = WorkflowId, RunId = RunId, TimerAt = TimerAt },
            TaskKind.Activity => new ActivityTaskMessage
            {
                WorkflowId = WorkflowId, RunId = Needs(RunId, "r"), ScheduledEventId = Needs(ScheduledEventId, "e"), ThroughScheduledEventId = ThroughScheduledEventId,
                Attempt = Needs(Attempt, "a"),
            },
            TaskKind.ActivityTimeout => new ActivityTimeoutMessage
            {
                WorkflowId = WorkflowId, RunId = Needs(RunId, "r"), ScheduledEventId = Needs(ScheduledEventId, "e"), ThroughScheduledEventId = ThroughScheduledEventId,
                Attempt = Attempt,
            },
            TaskKind.ActivityCheck => new ActivityCheckMessage { WorkflowId = WorkflowId, RunId = Needs(RunId, "r"), CheckAt = Needs(TimerAt, "t") },
            TaskKind.StartChild => new StartChildMessage { WorkflowId = WorkflowId, RunId = Needs(RunId, "r"), ScheduledEventId = Needs(ScheduledEventId, "e") },
            TaskKind.ChildClosed => new ChildClosedMessage { WorkflowId = WorkflowId, RunId = Needs(RunId, "r"), ClosingEventId = ScheduledEventId, Parent = Parent },
            TaskKind.ParentClosed => new ParentClosedMessage
            {
                WorkflowId = WorkflowId, ParentRunId = Needs(RunId, "r"), ScheduledEventId = Needs(ScheduledEventId, "e"), Policy = Needs(Policy, "p"), Attempt = Attempt,
            },
            TaskKind.ExternalRequest => new ExternalRequestMessage { WorkflowId = WorkflowId, RunId = Needs(RunId, "r"), RequestEventId = Needs(ScheduledEventId, "e") },
            TaskKind.Schedule => new ScheduleMessage { ScheduleId = WorkflowId, WakeAt = TimerAt },
            TaskKind.Retention => new RetentionMessage(),
            _ => throw new JsonException($"Unknown task kind {(int)Kind}."),
        };
        return message with { Failures = Failures, SettledDeliveries = SettledDeliveries, DueAt = DueAt };
    }

    private string Needs(string? value, string property) => value ?? throw Missing(property);

    private T Needs<T>(T? value, string property)
        where T : struct => value ?? throw Missing(property);

    private JsonException Missing(string property) => new($"A {Kind} message for '{WorkflowId}' lacks '{property}'.");
}

/// <summary>Reads and writes a <see cref="TaskMessage"/> of any kind through its wire form (<see cref="TaskMessageWire"/>), with generated metadata.</summary>
internal sealed class TaskMessageJsonConverter : JsonConverter<TaskMessage>
{
    public override TaskMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (JsonSerializer.Deserialize(ref reader, Serialization.EngineJson.TaskMessageWire) ?? throw new JsonException("A task message cannot be JSON null.")).ToMessage();

    public override void Write(Utf8JsonWriter writer, TaskMessage value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, TaskMessageWire.From(value), Serialization.EngineJson.TaskMessageWire);
}
