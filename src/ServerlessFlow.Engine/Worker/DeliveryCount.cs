using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// Counts deliveries whose handling never ended — the process died mid-handling (kill -9, a stack overflow) or hung past its
/// lease — as failures, before the message is handled again, so a message that crashes every process that takes it reaches
/// the dead-letter path after <see cref="WorkerOptions.MaxDeliveries"/> deliveries instead of being redelivered forever.
/// The queue's dequeue count counts every delivery, including those a worker ended by putting the message back for later
/// (a back-off, a re-armed check); such a put-back records the count it ended at in the message
/// (<see cref="TaskMessage.SettledDeliveries"/>), in the same update that hides it, so only the deliveries after it count.
/// </summary>
internal static class DeliveryCount
{
    /// <summary>Deliveries of this queue message before the current one whose handling never ended.</summary>
    public static long Unfinished(ReceivedMessage message, TaskMessage task) => Math.Max(0, message.DequeueCount - 1 - (task.SettledDeliveries ?? 0));

    /// <summary>
    /// The task as handlers see it and as copies of it carry it: the unfinished deliveries added to its failures, and no
    /// settled count (that belongs to this queue message; a copy's dequeue count starts again).
    /// </summary>
    public static TaskMessage Carried(ReceivedMessage message, TaskMessage task)
    {
        var unfinished = Unfinished(message, task);
        var failures = unfinished == 0 ? task.Failures : (int)Math.Min((task.Failures ?? 0) + unfinished, int.MaxValue);
        return task with { Failures = failures, SettledDeliveries = null };
    }

    /// <summary>The message to put back on its queue once this delivery has ended: every delivery so far is either counted or settled.</summary>
    public static ReceivedMessage Settled(ReceivedMessage message) =>
        TaskMessage.TryParse(message.Body) is { } task
            ? message with { Body = (Carried(message, task) with { SettledDeliveries = message.DequeueCount }).ToJson() }
            : message;
}
