using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>The eager start: a run's first task, run by the process that started it without a queue hop.</summary>
internal sealed partial class WorkflowTaskProcessor
{
    /// <summary>How long an eager start whose first task failed in this process waits before its queue takes it.</summary>
    private static readonly TimeSpan EagerStartRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Eager start: runs the first task of a run this process has just started, at once and without a queue hop, in the
    /// background (the starter does not wait for it). The start commit sent no wake-up: should this process die before the
    /// first task commits, the recovery sweep finds the start's outbox flag and wakes the workflow through its queue.
    /// </summary>
    /// <param name="committed">The instance row as the start committed it, with its outbox already sent.</param>
    /// <param name="started">The run's first event, to run on without a load; null to load (something else was written since).</param>
    /// <returns>
    /// Done once the task is under way; in a process that is stopping (which takes no new eager work), once the run has been handed
    /// to its queue: otherwise nothing would wake it before the recovery sweep, and nothing at all with the sweep off.
    /// </returns>
    public async Task RunStartedAsync(InstanceRecord committed, WorkflowStarted? started)
    {
        if (!inProgress.TryEnter(committed.WorkflowId))
        {
            return; // Already in hand here (a wake-up from elsewhere came first): the owner loads again before it stops.
        }

        var session = new WorkflowTaskSession(committed.WorkflowId, owns: true, time.GetUtcNow() + options.EagerExecutionBudget)
        {
            Loaded = started is null ? null : new WorkflowSnapshot { Instance = committed, Inbox = [], History = [started], HistoryAfter = 0 },
        };
        var message = new WorkflowTaskMessage { WorkflowId = committed.WorkflowId, RunId = committed.RunId };
        if (!eagerRuns.TryRun(stopping => DriveStartedAsync(message, committed.TaskQueue, session, stopping)))
        {
            End(session);
            await HandToQueueAsync(message, committed.TaskQueue, retryAt: null);
        }
    }

    private async Task DriveStartedAsync(WorkflowTaskMessage message, string taskQueue, WorkflowTaskSession session, CancellationToken stopping)
    {
        // The first task counts against the workflow-task concurrency like a received message (and, like one, gives its slot
        // back while it waits on eager activities). A start made while handling a message (a schedule's) holds a slot of its own.
        var slot = await slots.TakeForStartAsync();
        TaskSlot.Hold(slot);
        try
        {
            // No caller waits: the run belongs to the process, as a held message would, and stops when the process does.
            if (await DriveAsync(message, session, stopping))
            {
                return;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The process is stopping: the queue takes the workflow, below.
        }
        catch (Exception e)
        {
            Log.HandlerFailed(logger, message.WorkflowId, "eager start", QueueNames.Workflow(taskQueue), e);
        }
        finally
        {
            End(session);
            slot.Release();
        }

        // Commits kept losing races, or the task failed: hand the workflow to its queue as any failed task would be retried.
        await HandToQueueAsync(message, taskQueue, stopping.IsCancellationRequested ? null : time.GetUtcNow() + EagerStartRetryDelay);
    }

    /// <summary>Wakes the workflow through its queue (at <paramref name="retryAt"/>, or at once), for a first task this process does not run.</summary>
    private async Task HandToQueueAsync(WorkflowTaskMessage message, string taskQueue, DateTimeOffset? retryAt)
    {
        try
        {
            await outbox.SendOneAsync(QueueNames.Workflow(taskQueue), message, retryAt, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The recovery sweep wakes the workflow (the start's outbox flag stays set until its first task commits).
            Log.HandlerFailed(logger, message.WorkflowId, "eager start", QueueNames.Workflow(taskQueue), e);
        }
    }
}
