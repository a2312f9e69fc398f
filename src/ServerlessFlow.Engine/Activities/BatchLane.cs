using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// The lanes of one batch: each takes the next claimed row until none is left; the recruiter starts a lane for each activity slot
/// that is or becomes free while rows wait, and stops when the first lane finds the queue empty or the worker stops.
/// </summary>
internal sealed class BatchLane(
    Queue<ActivityTaskRecord> queue,
    Func<ActivityTaskRecord, Task> runOne,
    ActivitySlots slots,
    ILogger logger,
    List<(ActivityTaskRecord Row, Exception Error)> failed,
    CancellationTokenSource recruiting,
    CancellationToken cancellationToken)
{
    public static Task[] Snapshot(List<Task> lanes)
    {
        lock (lanes)
        {
            return [.. lanes];
        }
    }

    public async Task RecruitAsync(List<Task> lanes)
    {
        while (Waiting() > 0)
        {
            try
            {
                await slots.TakeAsync(recruiting.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (Waiting() == 0)
            {
                slots.Release();
                return;
            }

            lock (lanes)
            {
                lanes.Add(RunAsync(ownsSlot: true));
            }
        }
    }

    public async Task RunAsync(bool ownsSlot)
    {
        try
        {
            // A stopping worker starts nothing more: what is left in the queue is handed back. The row is taken on the caller's thread
            // (the recruiter sees it gone), and its attempt runs off it (ActivityAttemptRunner hops before invoking the activity), so
            // the batch's handler or the recruiter that called this goes on to start the other lanes.
            while (!cancellationToken.IsCancellationRequested && Next() is { } row)
            {
                try
                {
                    await runOne(row);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // One row's failure (storage, mostly) ends neither its lane nor the batch: the other rows run on.
                    Log.HandlerFailed(logger, row.WorkflowId, $"batch event {row.ScheduledEventId}", QueueNames.Activity(row.TaskQueue), e);
                    lock (failed)
                    {
                        failed.Add((row, e));
                    }
                }
            }
        }
        finally
        {
            if (ownsSlot)
            {
                slots.Release();
            }
        }
    }

    private int Waiting()
    {
        lock (queue)
        {
            return queue.Count;
        }
    }

    private ActivityTaskRecord? Next()
    {
        lock (queue)
        {
            if (queue.TryDequeue(out var row))
            {
                return row;
            }
        }

        // Nothing left to hand out: no more lanes are needed.
        recruiting.Cancel();
        return null;
    }
}
