using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Outcomes of a batch waiting to be written (group commit): one write is in flight at a time, in the background, and takes every
/// outcome that arrived while the one before it was written; the lanes run on meanwhile.
/// </summary>
internal sealed class BatchReporter(ActivityOutcomes outcomes, CancellationToken cancellationToken)
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

    /// <summary>Waits until every outcome added so far is written; throws what a write threw.</summary>
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

    private async Task WriteAllAsync()
    {
        try
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

                await outcomes.CloseManyAsync(batch, cancellationToken);
            }
        }
        catch (Exception e)
        {
            lock (waiting)
            {
                writer = null;
                failure ??= e;
            }

            throw;
        }
    }
}
