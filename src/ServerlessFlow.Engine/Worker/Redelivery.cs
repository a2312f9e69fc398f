using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// The one owner of how a message comes back: the failures it counts, the back-off it waits, and the cap on every delay a message
/// is given.
/// <list type="bullet">
/// <item><b>One failure counter</b>, <see cref="TaskMessage.Failures"/> (<c>f</c>), carried in the message because on Functions a
/// retry is a fresh copy whose dequeue count starts again. A handler that throws adds one (<see cref="AfterHandlerFailure"/>); a
/// delivery whose handling never ended (the process died or hung past its lease) adds one before the message is handled again
/// (<see cref="Carried"/>, with <see cref="TaskMessage.SettledDeliveries"/> marking the deliveries a worker ended itself); a workflow
/// task that fails (non-determinism, a bug in workflow code) adds one (<see cref="AfterWorkflowTaskFailure"/>). Only failures
/// count, never benign waits (a back-off of an activity, a re-armed check), so <see cref="WorkerOptions.MaxDeliveries"/> bounds
/// how often a message can fail before it is dead-lettered.</item>
/// <item><b>One back-off formula</b>, <see cref="Backoff"/>: 2 s doubling to 5 min, for every condition that persists — a
/// handler that keeps failing, a workflow task that keeps failing until a fix is deployed, and a parent-close policy waiting for a
/// child between two runs (<see cref="WaitForChildNextRun"/>). The last is no failure, so it counts its own waits in the message's
/// <see cref="ParentClosedMessage.Attempt"/> and starts with a short <see cref="ContinueAsNewWait"/> before joining the formula.</item>
/// <item><b>One cap</b>, <see cref="Clamp"/>: a message's delay is at most the queue's <see cref="ITaskQueues.MaxDelay"/> less
/// <see cref="ClockSlack"/>; a handler whose wait is longer gets the message early and puts it back (timers, schedules, activity
/// back-offs and checks all do).</item>
/// </list>
/// Activity retries are not here: they follow the activity's <c>RetryPolicy</c>, kept in its row, and are no delivery failure.
/// </summary>
internal static class Redelivery
{
    /// <summary>Longest back-off: with 10 allowed failures a message rides out about 15 minutes of outage (storage, a rolling deploy) before it is dead-lettered.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>How long a parent-close message first waits for a child between two runs of a continue-as-new: the next run starts within moments.</summary>
    public static readonly TimeSpan ContinueAsNewWait = TimeSpan.FromMilliseconds(500);

    /// <summary>Kept below the queue's delay limit: the delay is computed on this machine's clock and applied on storage's.</summary>
    public static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(1);

    /// <summary>The wait after <paramref name="retries"/> retries (the first is 1): 2 s, 4 s, 8 s … up to <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(long retries) => TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Clamp(retries, 1, 20))));

    /// <summary>The longest delay the engine gives a message on <paramref name="queues"/>: their limit less <see cref="ClockSlack"/>.</summary>
    public static TimeSpan MaxDelay(ITaskQueues queues) => queues.MaxDelay - ClockSlack;

    /// <summary><paramref name="delay"/> within [0, <see cref="MaxDelay"/>]: the one cap of a message's delay (a longer wait is re-armed by its handler).</summary>
    public static TimeSpan Clamp(TimeSpan delay, ITaskQueues queues)
    {
        var max = MaxDelay(queues);
        return delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > max ? max : delay;
    }

    /// <summary>The delay a retry outcome puts its message back with, capped.</summary>
    public static TimeSpan DelayOf(TaskOutcome.RetryOutcome retry, ITaskQueues queues) => Clamp(retry.Delay, queues);

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

    /// <summary>
    /// Dead-letters, before it is handled again, a message whose earlier deliveries never ended and whose failures reach
    /// <paramref name="maxDeliveries"/>: a message that kills every process handling it must still end. Null to handle it.
    /// </summary>
    public static TaskOutcome? DeadLetterIfCrashing(ReceivedMessage message, TaskMessage parsed, int maxDeliveries)
    {
        var unfinished = Unfinished(message, parsed);
        var failures = Carried(message, parsed).Failures;
        return unfinished > 0 && failures >= maxDeliveries
            ? TaskOutcome.DeadLetter(
                $"Delivered {message.DequeueCount} times; the handling of {unfinished} of those deliveries never ended (the process handling it died, " +
                $"or hung past its lease), and {failures} failed deliveries reach the limit of {maxDeliveries}.")
            : null;
    }

    /// <summary>A handler threw: the message again after the back-off with one more failure, or dead-lettered at the limit.</summary>
    public static TaskOutcome AfterHandlerFailure(TaskMessage task, Exception error, int maxDeliveries)
    {
        var failures = (task.Failures ?? 0) + 1;
        return failures >= maxDeliveries
            ? TaskOutcome.DeadLetter($"Handling failed {failures} times; last error {error.GetType().FullName}: {error.Message}")
            : TaskOutcome.RetryAs(task with { Failures = failures }, Backoff(failures));
    }

    /// <summary>
    /// A workflow task failed (it is retried until a fix is deployed, never dead-lettered for it): the message again after the
    /// back-off. The count is the larger of the failures carried and the queue's deliveries, so a message the queue redelivered
    /// without a put-back counts too.
    /// </summary>
    public static TaskOutcome AfterWorkflowTaskFailure(WorkflowTaskMessage message, long deliveryCount)
    {
        var retries = Math.Max(deliveryCount, (message.Failures ?? 0) + 1);
        return TaskOutcome.RetryAs(message with { Failures = (int)Math.Min(retries, int.MaxValue) }, Backoff(retries));
    }

    /// <summary>
    /// A parent-close policy found its child between two runs: the message again, first after <see cref="ContinueAsNewWait"/>,
    /// then backing off (a child whose next run does not start soon must not be polled twice a second for as long as that lasts).
    /// The waits are counted in <see cref="ParentClosedMessage.Attempt"/>, not as failures: waiting is not failing.
    /// </summary>
    public static TaskOutcome WaitForChildNextRun(ParentClosedMessage message)
    {
        var attempt = message.Attempt ?? 1;
        return TaskOutcome.RetryAs(message with { Attempt = attempt + 1 }, attempt == 1 ? ContinueAsNewWait : Backoff(attempt - 1));
    }
}
