using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Engine.Visibility;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Sends the messages a commit recorded and writes its visibility index entry, then clears the instance's
/// pending flag. History first, the rest after: a crash in between leaves <c>OutboxPending</c> set, and
/// whoever next loads the instance (a redelivered message, or the recovery sweep) does it again —
/// duplicate messages are harmless and the index ignores writes that are not newer.
/// </summary>
internal sealed class OutboxSender(
    ITaskQueues queues, IWorkflowStore store, IVisibilityStore visibility, WorkflowRegistry registry, LocalWakeups wakeups, TimeProvider time,
    Microsoft.Extensions.Logging.ILogger<OutboxSender> logger)
{
    /// <summary>Messages of one outbox in flight at once: enough to send a fan-out's hundreds quickly, few enough not to crowd other work.</summary>
    private const int MaxConcurrentSends = 16;

    /// <summary>
    /// Sends the outbox and writes the index entry if the commit left them pending, then clears the flag. False when the
    /// index write failed: the flag stays set (the next commit carries the write, or the recovery sweep retries it),
    /// and the caller goes on with the instance as loaded rather than wait for the index.
    /// </summary>
    public Task<bool> SendAsync(InstanceRecord committed, CancellationToken cancellationToken) => SendAsync(committed, clear: true, cancellationToken);

    /// <summary>
    /// As <see cref="SendAsync(InstanceRecord, CancellationToken)"/>; with <paramref name="clear"/> false the flag is left for the
    /// caller's next commit to clear (it replaces the outbox anyway), which saves a write.
    /// </summary>
    public async Task<bool> SendAsync(InstanceRecord committed, bool clear, CancellationToken cancellationToken)
    {
        if (!committed.OutboxPending)
        {
            return true;
        }

        // The index first: the messages wake workers that find the flag still set and send everything again until it
        // is cleared, so the shorter the time from the first message to the clear, the fewer duplicates.
        var indexed = !committed.VisibilityChanged || await WriteIndexAsync(committed, cancellationToken);

        // A step that fans out leaves hundreds of activities, a batch per message: sent a few at a time, they do not hold the workflow task for long.
        await Parallel.ForEachAsync(
            committed.Outbox.SelectMany(o => o.ToSend()),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentSends, CancellationToken = cancellationToken },
            async (outbound, token) => await SendOneAsync(outbound.Queue, outbound.Message, outbound.VisibleAt, token));

        if (!indexed)
        {
            return false;
        }

        if (!clear)
        {
            return true;
        }

        await store.ClearOutboxAsync(committed.WorkflowId, committed.ETag!, cancellationToken);
        return true;
    }

    /// <summary>
    /// Writes the instance's index entry (a write that is not newer than the entry is ignored); false when it failed, which is
    /// logged: the index never blocks the workflow, and whoever recorded the write as pending does it again.
    /// </summary>
    public async Task<bool> WriteIndexAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        try
        {
            await visibility.UpsertAsync(VisibilityRecords.From(instance, registry.SearchAttributes), cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.VisibilityWriteFailed(logger, instance.WorkflowId, e);
            return false;
        }
    }

    /// <summary>Sends one message, delayed until <paramref name="visibleAt"/> (capped: <see cref="Worker.Redelivery.Clamp"/>); returns its handle.</summary>
    public async Task<ReceivedMessage> SendOneAsync(string queue, TaskMessage message, DateTimeOffset? visibleAt, CancellationToken cancellationToken)
    {
        var delay = visibleAt is { } at ? Worker.Redelivery.Clamp(at - time.GetUtcNow(), queues) : TimeSpan.Zero;
        var sent = await queues.SendAsync(queue, message, delay, cancellationToken);
        wakeups.NotifyAfter(queue, delay, time, sent.MessageId);
        return sent;
    }

    /// <summary>
    /// Deletes a message this process sent and no longer needs, before it is delivered. Best effort: a failure is logged and the
    /// message is delivered and handled as usual (messages are hints).
    /// </summary>
    public async Task WithdrawAsync(ReceivedMessage sent, string workflowId, CancellationToken cancellationToken)
    {
        try
        {
            await queues.DeleteAsync(sent, cancellationToken);
            wakeups.Forget(sent.MessageId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.WithdrawFailed(logger, workflowId, sent.MessageId, sent.Queue, e);
        }
    }
}
