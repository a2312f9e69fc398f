using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// A polling worker for hosts that own their loop (the dev server, a console app, a unit test): it
/// receives workflow and activity tasks from the task queues it serves, runs them within the
/// concurrency limits, keeps each message hidden while its task runs, applies the outcome, and runs
/// the recovery sweep. Idle pollers back off; a message this process sends to itself wakes them at once.
/// </summary>
public sealed class WorkflowWorker
{
    /// <summary>Messages received per request at most (the Azure Queues limit).</summary>
    public const int MaxBatch = 32;

    /// <summary>
    /// How long a stopping worker waits for the tasks it is running: each sees the stop at once and winds down (hands back what
    /// it claimed, puts its message back) within <see cref="WindDown.Budget"/> of the stop, one budget for the handler's writes and
    /// the put-back of its message together; the margin covers the moments between the stop and the start of this wait. Room for
    /// winding down, not for the work itself.
    /// </summary>
    private static readonly TimeSpan ShutdownDrain = WindDown.Budget + TimeSpan.FromSeconds(2);

    private readonly ITaskQueues queues;
    private readonly StorageInitializer storage;
    private readonly ITaskHandler handler;
    private readonly HousekeepingPass housekeeping;
    private readonly WorkerOptions options;
    private readonly LocalWakeups wakeups;
    private readonly Activities.ActivitySlots activitySlots;
    private readonly InFlightTasks inFlight = new();
    private readonly WorkflowTaskSlots workflowSlots;
    private readonly TimeProvider time;
    private readonly ILogger<WorkflowWorker> logger;

    internal WorkflowWorker(
        ITaskQueues queues, StorageInitializer storage, ITaskHandler handler, HousekeepingPass housekeeping, WorkerOptions options, LocalWakeups wakeups,
        Activities.ActivitySlots activitySlots, WorkflowTaskSlots workflowSlots, TimeProvider time, ILogger<WorkflowWorker> logger)
    {
        this.time = time;
        this.activitySlots = activitySlots;
        this.workflowSlots = workflowSlots;
        this.queues = queues;
        this.storage = storage;
        this.handler = handler;
        this.housekeeping = housekeeping;
        this.options = options;
        this.wakeups = wakeups;
        this.logger = logger;
    }

    /// <summary>
    /// Creates storage and the queues it serves if needed, then polls and runs tasks until <paramref name="cancellationToken"/> is
    /// cancelled. Returns once every task it took has finished or handed its message back (within a bound); stopped before its
    /// queues exist, it has taken nothing.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Counted from the stop, once: a put-back after a handler that spent the budget winding down gets what is left of it, not a
        // budget of its own (which would outlast the drain, and run on while the host disposes what it uses).
        using var windDown = new WindDown(cancellationToken);
        try
        {
            await PollAllAsync(cancellationToken, windDown.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown; each task in flight hands its message back as it stops (see RunOneAsync).
        }
        finally
        {
            // Not abandoned: the tasks in flight finish or hand their messages back before the host disposes what they use.
            if (await inFlight.DrainAsync(ShutdownDrain) is > 0 and var abandoned)
            {
                Log.ShutdownAbandoned(logger, abandoned, ShutdownDrain);
            }
        }
    }

    private async Task PollAllAsync(CancellationToken cancellationToken, CancellationToken windingDown)
    {
        await storage.InitializeAsync(cancellationToken);
        // Activity slots are shared with the workflow tasks that run activities eagerly.
        var served = options.TaskQueues.Select(QueueNames.Validate)
            .SelectMany(taskQueue => new[]
            {
                (Queue: QueueNames.Workflow(taskQueue), Slots: workflowSlots.Semaphore),
                (Queue: QueueNames.Activity(taskQueue), Slots: activitySlots.Semaphore),
            })
            .ToList();

        // Every queue exists before the first poller starts, so a stop (or a failure) while one is being created leaves nothing
        // running behind RunAsync. A poller started before then was never awaited: it could track the message it had just taken
        // after the drain had looked, and the worker returned while that message's handler still ran.
        foreach (var (queue, _) in served)
        {
            await queues.EnsureQueueAsync(queue, cancellationToken);
        }

        await Task.WhenAll(served.Select(s => PollAsync(s.Queue, s.Slots, cancellationToken, windingDown)).Append(SweepAsync(cancellationToken)));
    }

    private async Task PollAsync(string queue, SemaphoreSlim slots, CancellationToken cancellationToken, CancellationToken windingDown)
    {
        using var wake = new SemaphoreSlim(0);
        void OnSent(string sentTo)
        {
            try
            {
                if (sentTo == queue && wake.CurrentCount == 0)
                {
                    wake.Release();
                }
            }
            catch (ObjectDisposedException)
            {
                // A timer's notification raced this poller's end: nobody is waiting.
            }
        }

        wakeups.MessageSent += OnSent;
        try
        {
            var backoff = new PollBackoff(PollBackoff.CeilingFor(options));
            while (!cancellationToken.IsCancellationRequested)
            {
                // A free slot is waited for, but not held while the receive is in flight: most polls find nothing, and an eager
                // activity attempt (which takes a free slot or goes through its queue) must not find the slot held by one.
                await slots.WaitAsync(cancellationToken);
                var requested = Math.Min(MaxBatch, slots.CurrentCount + 1);
                slots.Release();
                IReadOnlyList<ReceivedMessage> received;
                try
                {
                    // A receive once sent is seen through a stop (within the wind-down budget): storage may have handed it messages,
                    // hidden for a lease, that only its answer names. Cancelled mid-flight, they would stay hidden for the lease;
                    // answered, they are handed back below like any message still waiting for a slot.
                    received = await queues.ReceiveAsync(queue, requested, options.MessageLease, windingDown);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.PollFailed(logger, queue, e);
                    received = [];
                    backoff.Failed();
                }

                if (received.Count == 0)
                {
                    await wake.WaitAsync(backoff.Empty(), cancellationToken);
                    continue;
                }

                // Only a full batch of several (a backlog) restarts the back-off: a message now and then (a wake-up this process
                // sent, a check coming due; at concurrency 1 every message fills its batch of one) is followed by one more poll at
                // once, not by the whole ramp of quick empty polls again.
                if (requested > 1 && received.Count >= requested)
                {
                    backoff.Backlog();
                }

                // A message may wait for a slot an eager attempt or a batch's extra lane took meanwhile, for longer than its visibility
                // timeout: its lease is renewed from the moment it is received, or it would reappear and a second worker take it too.
                var leases = received.Select(message => new MessageLease(queues, message, options.MessageLease, logger, cancellationToken)).ToList();
                for (var next = 0; next < received.Count; next++)
                {
                    try
                    {
                        await slots.WaitAsync(cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        // Stopping before they got a slot: handed back now, not left hidden for the rest of their leases.
                        foreach (var waiting in leases.Skip(next))
                        {
                            inFlight.Track(HandBackAsync(waiting, windingDown));
                        }

                        throw;
                    }

                    inFlight.Track(RunOneAsync(received[next], leases[next], slots, cancellationToken, windingDown));
                }
            }
        }
        finally
        {
            wakeups.MessageSent -= OnSent;
        }
    }

    private static async Task HandBackAsync(MessageLease lease, CancellationToken windingDown)
    {
        await lease.ReleaseAsync(windingDown);
        await lease.DisposeAsync();
    }

    private async Task RunOneAsync(ReceivedMessage message, MessageLease lease, SemaphoreSlim slots, CancellationToken cancellationToken, CancellationToken windingDown)
    {
        // The handler may give the slot back early (a workflow task waiting on its eager activities).
        var slot = new TaskSlot(slots);
        TaskSlot.Hold(slot);
        try
        {
            var outcome = await handler.HandleAsync(message, cancellationToken);
            var current = await lease.StopAsync();
            if (current is null)
            {
                // The lease was lost (a renewal found the receipt stale: storage applied an earlier renewal whose answer was lost
                // and the SDK's retry sent the old receipt, or the lease ran out). The message comes back when its visibility runs
                // out and is then a duplicate; a retry this task asked for must not wait on it, so a copy carries the delay.
                if (outcome is TaskOutcome.RetryOutcome lostRetry && TaskMessage.TryParse(message.Body) is { } task)
                {
                    await queues.SendAsync(message.Queue, lostRetry.Replacement ?? Redelivery.Carried(message, task), Redelivery.DelayOf(lostRetry, queues), cancellationToken);
                    wakeups.NotifyAfter(message.Queue, lostRetry.Delay, time);
                }

                return;
            }

            if (outcome is TaskOutcome.RetryOutcome { Replacement: { } replacement } replaced)
            {
                // Replacement first, then delete: a crash in between leaves a duplicate, never nothing.
                await queues.SendAsync(message.Queue, replacement, Redelivery.DelayOf(replaced, queues), cancellationToken);
                wakeups.NotifyAfter(message.Queue, replaced.Delay, time);
                await queues.DeleteAsync(current, cancellationToken);
                return;
            }

            await (outcome switch
            {
                TaskOutcome.RetryOutcome retry => queues.SetVisibilityAsync(Redelivery.Settled(current), Redelivery.DelayOf(retry, queues), cancellationToken),
                TaskOutcome.DeadLetterOutcome dead => queues.DeadLetterAsync(current, dead.Reason, cancellationToken),
                _ => queues.DeleteAsync(current, cancellationToken),
            });
            if (outcome is TaskOutcome.RetryOutcome retrying)
            {
                // Work this process puts back for later is picked up when due, not at the next (backed-off) poll; the wake-up
                // follows the queue operation, so a poller it wakes finds the message visible.
                wakeups.NotifyAfter(message.Queue, retrying.Delay, time);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.HandlerFailed(logger, "?", message.MessageId, message.Queue, e);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-task: hand the message back now, so another worker runs it at once rather than after the lease.
            await lease.ReleaseAsync(windingDown);
        }
        finally
        {
            await lease.DisposeAsync();
            slot.Release();
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await housekeeping.RunAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.PollFailed(logger, "sweep", e);
            }
        }
    }
}
