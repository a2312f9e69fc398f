using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Outcomes of a batch waiting to be written (group commit): one write is in flight at a time, in the background, and takes every
/// outcome that arrived while the one before it was written; the lanes run on meanwhile.
/// </summary>
internal sealed class BatchReporter(ActivityOutcomes outcomes, ILogger logger, CancellationToken cancellationToken)
{
    private readonly List<(ActivityTaskRecord Row, HistoryEvent Outcome)> waiting = [];
    private Task? writer;
    private Exception? failure;

    public void Add(ActivityTaskRecord row, HistoryEvent outcome)
    {
        lock (waiting)
        {
            waiting.Add((row, outcome));
            writer ??= Task.Run(WriteAllAsync, CancellationToken.None);
        }
    }

    /// <summary>Waits until every outcome added so far is written (or its write failed); throws what the first failed write threw.</summary>
    public async Task CompleteAsync()
    {
        while (true)
        {
            Task? current;
            lock (waiting)
            {
                current = writer;
            }

            if (current is null)
            {
                break;
            }

            await current;
        }

        // A write that failed took its outcomes with it: the batch must not end as done (its message and check would go, and
        // nothing would ever record those attempts). Thrown, the message is redelivered and the check stays.
        lock (waiting)
        {
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }
    }

    /// <summary>Never faults: a failure is kept for <see cref="CompleteAsync"/>, since nothing may be awaiting this task when it fails.</summary>
    private async Task WriteAllAsync()
    {
        while (true)
        {
            List<(ActivityTaskRecord Row, HistoryEvent Outcome)> batch;
            lock (waiting)
            {
                if (waiting.Count == 0)
                {
                    writer = null;
                    return;
                }

                batch = [.. waiting];
                waiting.Clear();
            }

            try
            {
                await outcomes.CloseManyAsync(batch, cancellationToken);
            }
            catch (Exception e)
            {
                // These outcomes are lost here (their rows stay started until their deadline); the ones that arrive later are still
                // written, and the batch ends in this failure.
                Log.BatchOutcomesNotRecorded(logger, batch[0].Row.WorkflowId, batch.Count, e);
                lock (waiting)
                {
                    failure ??= e;
                }
            }
        }
    }
}
