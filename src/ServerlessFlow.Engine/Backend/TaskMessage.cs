using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// A queue message: one of a closed family of records, one per <see cref="TaskKind"/>, each with the fields its kind has.
/// Messages are at-least-once hints that carry identifiers only, never payloads: the truth is in the tables, so a handler
/// re-reads state and drops a message about finished work.
/// </summary>
/// <remarks>
/// On the wire every kind is one JSON object with the discriminator <c>k</c> and short property names (<see cref="TaskMessageWire"/>),
/// exactly as earlier versions wrote it, so messages in flight and outboxes stored in instance rows stay readable across upgrades.
/// </remarks>
[JsonConverter(typeof(TaskMessageJsonConverter))]
public abstract record TaskMessage
{
    /// <summary>Only the kinds below derive from it: a handler's type switch covers every message.</summary>
    private protected TaskMessage()
    {
    }

    /// <summary>Which handler takes the message (the wire discriminator <c>k</c>).</summary>
    public abstract TaskKind Kind { get; }

    /// <summary>What the message is about, for logs and dead-letter listings: a workflow ID, a schedule ID, or "retention".</summary>
    public abstract string Subject { get; }

    /// <summary>
    /// The workflow and run the message's work is about, for the log scope of its handling; null for work about no one workflow
    /// (a schedule pass, a retention batch).
    /// </summary>
    internal abstract (string WorkflowId, string? RunId)? WorksFor { get; }

    /// <summary>
    /// The run that waits on the message, where its dead letter is noted; null for messages nothing waits on (schedules, retention,
    /// a policy for a closed parent's child, a child's report without its parent link).
    /// </summary>
    internal abstract WaitingRun? WaitedOnBy { get; }

    /// <summary>
    /// How many deliveries of this task failed outside user code so far. Carried in the message because a
    /// retry may travel as a fresh copy (Functions) whose queue dequeue count starts again. Counted by <c>Redelivery</c>.
    /// </summary>
    public int? Failures { get; init; }

    /// <summary>
    /// The queue's dequeue count of this very queue message when a worker last put it back after its handling ended (a retry
    /// with a delay, or a hand-back at shutdown). Deliveries above it, before the current one, never ended: the process
    /// handling them died or hung past the lease. They count as failures (see <c>Redelivery</c>). A copy starts without it.
    /// </summary>
    public long? SettledDeliveries { get; init; }

    /// <summary>
    /// When the message was due: its send time plus its delay, stamped by the queue (<see cref="ITaskQueues.SendAsync"/>)
    /// as it sends. Where its queue lag (<c>serverlessflow.task.queue_lag</c>) is counted from; null on messages sent otherwise.
    /// </summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Serializes the message to its wire form.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Serialization.EngineJson.TaskMessage);

    /// <summary>Parses a message; null when the body is not a valid task message (not JSON, an unknown kind, or a field its kind needs is missing).</summary>
    public static TaskMessage? TryParse(string body) => TryParse(body, out _);

    /// <summary>Parses a message; null when the body is not a valid task message, with <paramref name="problem"/> saying why.</summary>
    internal static TaskMessage? TryParse(string body, out string problem)
    {
        try
        {
            problem = "";
            return JsonSerializer.Deserialize(body, Serialization.EngineJson.TaskMessage) ?? throw new JsonException("The body is JSON null.");
        }
        catch (JsonException e)
        {
            problem = e.Message;
            return null;
        }
    }
}
