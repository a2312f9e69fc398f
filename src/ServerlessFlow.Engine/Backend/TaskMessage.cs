using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// A queue message. Messages are at-least-once hints that carry identifiers only, never payloads:
/// the truth is in the tables, so a handler re-reads state and drops a message about finished work.
/// </summary>
public sealed record TaskMessage
{
    /// <summary>Which handler takes the message.</summary>
    [JsonPropertyName("k")]
    public required TaskKind Kind { get; init; }

    /// <summary>The workflow ID.</summary>
    [JsonPropertyName("w")]
    public required string WorkflowId { get; init; }

    /// <summary>The run the message is about (activities); null for a wake-up of whatever run is current.</summary>
    [JsonPropertyName("r")]
    public string? RunId { get; init; }

    /// <summary>
    /// For activity tasks: the <c>ActivityScheduled</c> event ID. For child messages: the parent's <c>ChildWorkflowScheduled</c>
    /// event (start, parent close) or the child's closing event (child closed).
    /// </summary>
    [JsonPropertyName("e")]
    public long? ScheduledEventId { get; init; }

    /// <summary>
    /// For activity tasks and their timeout checks: the last <c>ActivityScheduled</c> event of a batch of consecutive activities the
    /// message stands for (<c>e</c> through <c>te</c>); null for one activity. A fan-out's activities go to other workers a batch per
    /// message, claimed and reported a batch per transaction.
    /// </summary>
    [JsonPropertyName("te")]
    public long? ThroughScheduledEventId { get; init; }

    /// <summary>For activity tasks: the attempt this message dispatches. For parent-close-policy messages: how many times the policy was tried.</summary>
    [JsonPropertyName("a")]
    public int? Attempt { get; init; }

    /// <summary>
    /// For timer wake-ups: the due time this message was sent for (a wake-up capped at the 7-day queue limit arrives early and is re-armed).
    /// For activity checks: the time the check was armed for.
    /// </summary>
    [JsonPropertyName("t")]
    public DateTimeOffset? TimerAt { get; init; }

    /// <summary>For parent-close-policy messages: what to do to the child.</summary>
    [JsonPropertyName("p")]
    public ParentClosePolicy? Policy { get; init; }

    /// <summary>
    /// For child-closed messages: the closed run's parent. With the run and its closing event (r, e) the report is exact even
    /// when the child's ID has moved on to another run by the time it is handled. Null in messages sent by earlier versions.
    /// </summary>
    [JsonPropertyName("pl")]
    public ParentLink? Parent { get; init; }

    /// <summary>
    /// How many deliveries of this task failed outside user code so far. Carried in the message because a
    /// retry may travel as a fresh copy (Functions) whose queue dequeue count starts again.
    /// </summary>
    [JsonPropertyName("f")]
    public int? Failures { get; init; }

    /// <summary>
    /// The queue's dequeue count of this very queue message when a worker last put it back after its handling ended (a retry
    /// with a delay, or a hand-back at shutdown). Deliveries above it, before the current one, never ended: the process
    /// handling them died or hung past the lease. They count as failures (see <c>DeliveryCount</c>). A copy starts without it.
    /// </summary>
    [JsonPropertyName("sd")]
    public long? SettledDeliveries { get; init; }

    /// <summary>
    /// When the message was due: its send time plus its delay, stamped by the queue (<see cref="ITaskQueues.SendAsync"/>)
    /// as it sends. Where its queue lag (<c>serverlessflow.task.queue_lag</c>) is counted from; null on messages sent otherwise.
    /// </summary>
    [JsonPropertyName("v")]
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Serializes the message to its wire form.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Serialization.EngineJson.TaskMessage);

    /// <summary>Parses a message; null when the body is not a valid task message.</summary>
    public static TaskMessage? TryParse(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize(body, Serialization.EngineJson.TaskMessage);
            return message is { WorkflowId.Length: > 0 } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The kinds of task message.</summary>
public enum TaskKind
{
    /// <summary>Run a workflow task for the workflow (new inbox rows, due timers, or a first run).</summary>
    Workflow = 1,

    /// <summary>Run one activity attempt.</summary>
    Activity = 2,

    /// <summary>Start the child workflow a parent scheduled (w, r, e name the parent's event).</summary>
    StartChild = 3,

    /// <summary>Tell a child's parent that the child closed (w, r name the child's run, e its closing event, pl the parent).</summary>
    ChildClosed = 4,

    /// <summary>Apply a closed parent's policy to a child (w names the child, p the policy).</summary>
    ParentClosed = 5,

    /// <summary>Check an activity's timeouts (w, r, e name it; a the attempt). Sent on the workflow queue, so it is handled even when no worker serves the activity's queue.</summary>
    ActivityTimeout = 6,

    /// <summary>Run a pass of a schedule (w names the schedule; t the wake time it was sent for): take due actions, start buffered ones after a close.</summary>
    Schedule = 7,

    /// <summary>Run the next retention batch (w is "retention").</summary>
    Retention = 8,

    /// <summary>
    /// Check the timeouts of every open activity of a run (w, r; t the time it was armed for): the one delayed
    /// safety message per workflow that covers activities run eagerly by the worker that scheduled them.
    /// </summary>
    ActivityCheck = 9,

    /// <summary>
    /// Deliver a signal or cancellation request that workflow code addressed to another workflow (w, r, e name the requesting
    /// event) and report the outcome back to the requester.
    /// </summary>
    ExternalRequest = 10,
}
