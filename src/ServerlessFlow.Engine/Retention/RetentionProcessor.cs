using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.Engine.Visibility;

namespace ServerlessFlow.Engine.Retention;

/// <summary>
/// Deletes workflows closed longer ago than <see cref="WorkerOptions.Retention"/>, one bounded batch per call,
/// found through the index's close-time rows. A full batch queues a <see cref="RetentionMessage"/>
/// whose handler runs the next one, so a backlog is worked off in short steps that any worker can take; a batch
/// that deletes nothing (its entries lag or are held) ends the chain, and housekeeping starts a new one later.
/// </summary>
internal sealed class RetentionProcessor(
    IWorkflowStore store, IVisibilityStore visibility, WorkflowPurger purger, OutboxSender outbox, WorkflowRegistry registry,
    WorkerOptions options, TimeProvider time, ILogger<RetentionProcessor> logger)
{
    /// <summary>Workflows examined per batch.</summary>
    public const int BatchSize = 100;

    /// <summary>Purges running at once within a batch.</summary>
    private const int Parallelism = 8;

    /// <summary>Runs one batch; returns how many workflows it deleted.</summary>
    public async Task<int> RunBatchAsync(CancellationToken cancellationToken)
    {
        if (options.Retention is not { } retention)
        {
            return 0;
        }

        var expired = await visibility.FindClosedBeforeAsync(time.GetUtcNow() - retention, BatchSize, cancellationToken);
        var purged = 0;
        await Parallel.ForEachAsync(expired, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (entry, ct) =>
        {
            if (await ExpireAsync(entry, ct))
            {
                Interlocked.Increment(ref purged);
            }
        });

        if (expired.Count == BatchSize && purged > 0)
        {
            var next = new RetentionMessage();
            await outbox.SendOneAsync(QueueNames.Workflow(options.TaskQueues[0]), next, null, cancellationToken);
        }

        if (purged > 0)
        {
            Log.RetentionPurged(logger, purged);
        }

        return purged;
    }

    /// <summary>Handles a <see cref="RetentionMessage"/>.</summary>
    public async Task<TaskOutcome> HandleAsync(CancellationToken cancellationToken)
    {
        await RunBatchAsync(cancellationToken);
        return TaskOutcome.Completed;
    }

    private async Task<bool> ExpireAsync(VisibilityRecord entry, CancellationToken cancellationToken)
    {
        // Twice: a first purge that had to send the closed run's pending outbox first reports RunChanged.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var instance = await store.ReadInstanceAsync(entry.WorkflowId, cancellationToken);
            if (instance is null)
            {
                // A ghost: the workflow was purged and a late index write brought its entry back.
                await visibility.DeleteAsync(entry.WorkflowId, entry.Version, cancellationToken);
                return false;
            }

            if (instance.Version < entry.Version)
            {
                // An entry newer than the instance can only be a purged namesake's late write: replace it with the truth.
                await visibility.DeleteAsync(entry.WorkflowId, entry.Version, cancellationToken);
            }

            if (instance.Version != entry.Version)
            {
                // The entry lags the instance (a new run, or an unsent index write): bring it up to date; a later batch decides again.
                await visibility.UpsertAsync(VisibilityRecords.From(instance, registry.SearchAttributes), cancellationToken);
                return false;
            }

            if (await purger.PurgeAsync(instance, cancellationToken) is var outcome && outcome != PurgeOutcome.RunChanged)
            {
                return outcome == PurgeOutcome.Purged;
            }
        }

        return false;
    }
}
