using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Sends the messages a commit recorded, then clears the instance's pending flag. History first,
/// messages after: a crash in between leaves <c>OutboxPending</c> set, and whoever next loads the
/// instance (a redelivered message, or the recovery sweep) sends them again — duplicates are harmless.
/// </summary>
internal sealed class OutboxSender(ITaskQueues queues, IWorkflowStore store, LocalWakeups wakeups, TimeProvider time)
{
    /// <summary>Longest delay a queue message can have: Azure's 7-day visibility limit less a minute of clock slack.</summary>
    public static readonly TimeSpan MaxMessageDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public async Task SendAsync(InstanceRecord committed, CancellationToken cancellationToken)
    {
        if (!committed.OutboxPending)
        {
            return;
        }

        foreach (var outbound in committed.Outbox)
        {
            await SendOneAsync(outbound.Queue, outbound.Message, outbound.VisibleAt, cancellationToken);
        }

        await store.ClearOutboxAsync(committed.WorkflowId, committed.ETag!, cancellationToken);
    }

    /// <summary>Sends one message, delayed until <paramref name="visibleAt"/> (capped at the queue limit).</summary>
    public async Task SendOneAsync(string queue, TaskMessage message, DateTimeOffset? visibleAt, CancellationToken cancellationToken)
    {
        var delay = visibleAt is { } at ? Clamp(at - time.GetUtcNow()) : TimeSpan.Zero;
        await queues.SendAsync(queue, message, delay, cancellationToken);
        if (delay == TimeSpan.Zero)
        {
            wakeups.Notify(queue);
        }
    }

    private static TimeSpan Clamp(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > MaxMessageDelay ? MaxMessageDelay : delay;
}
