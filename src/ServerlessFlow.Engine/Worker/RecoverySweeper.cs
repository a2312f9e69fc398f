using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// Housekeeping that closes the gaps between a write and the message that should follow it: a commit
/// whose outbox was never sent, an inbox row whose wake-up was lost, or a timer overdue because its delayed
/// wake-up was lost (dead-lettered or deleted). It wakes such workflows; the workflow task then sends the
/// outbox, consumes the inbox and fires the due timers. Runs on a timer in every host.
/// </summary>
public sealed class RecoverySweeper
{
    /// <summary>Workflows woken per sweep at most; the next sweep continues.</summary>
    public const int MaxPerSweep = 500;

    private readonly IWorkflowStore store;
    private readonly OutboxSender outbox;
    private readonly WorkerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<RecoverySweeper> logger;

    internal RecoverySweeper(IWorkflowStore store, OutboxSender outbox, WorkerOptions options, TimeProvider time, ILogger<RecoverySweeper> logger)
    {
        this.store = store;
        this.outbox = outbox;
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Runs one sweep; returns how many workflows it woke.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var stalled = await store.FindStalledAsync(time.GetUtcNow() - options.StallThreshold, MaxPerSweep, cancellationToken);
        foreach (var workflowId in stalled)
        {
            if (await store.ReadInstanceAsync(workflowId, cancellationToken) is not { } instance)
            {
                continue;
            }

            // A delayed start whose start has been sent: what waits in its inbox waits for the start's own wake-up.
            if (instance is { OutboxPending: false, FirstTaskDueAt: { } dueAt } && dueAt > time.GetUtcNow())
            {
                continue;
            }

            // A run whose task keeps failing has a message of its own retrying with back-off (or dead-lettered, which describe
            // shows): a wake-up each sweep would only add deliveries that fail the same way. One with an unsent outbox is still woken.
            if (instance is { OutboxPending: false, LastTaskFailure: not null })
            {
                continue;
            }

            var wake = new WorkflowTaskMessage { WorkflowId = workflowId };
            await outbox.SendOneAsync(QueueNames.Workflow(instance.TaskQueue), wake, null, cancellationToken);
            Log.SweepWoke(logger, workflowId);
        }

        return stalled.Count;
    }
}
