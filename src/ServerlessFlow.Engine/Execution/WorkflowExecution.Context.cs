using System.Text.Json;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Execution;

/// <summary>What workflow code asks of the engine (<see cref="IWorkflowContext"/>): activities, timers, conditions, patches, and what cancellation does to them.</summary>
internal sealed partial class WorkflowExecution
{
    Task<JsonElement?> IWorkflowContext.ExecuteActivityAsync(string activityName, JsonElement input, ActivityOptions options)
    {
        if (TakeUndeliveredCancellation() is { } canceled)
        {
            return Task.FromException<JsonElement?>(canceled);
        }

        var cancellationToken = options.CancellationToken;
        cancellationToken.ThrowIfCancellationRequested();
        var awaiter = new TaskCompletionSource<JsonElement?>();
        var queue = Backend.QueueNames.Validate(options.TaskQueue ?? Info.TaskQueue);
        var filled = options with { RetryPolicy = options.RetryPolicy ?? RetryPolicy.Default, TaskQueue = queue, CancellationToken = default };
        long? scheduledEventId = null;
        var command = new ScheduleActivityCommand(activityName, input, queue, filled, id =>
        {
            scheduledEventId = id;
            activities[id] = (activityName, awaiter);
        });
        pending.Enqueue(command);
        if (cancellationToken.CanBeCanceled)
        {
            // As for timers: workflow code cancels its own token, so this runs at the same point on every replay.
            cancellationToken.Register(() =>
            {
                if (scheduledEventId is { } id)
                {
                    if (activities.Remove(id))
                    {
                        abandoned.Add(id);
                        pending.Enqueue(new CancelActivityCommand(id));
                        awaiter.TrySetCanceled(cancellationToken);
                    }
                }
                else if (RemovePending(command))
                {
                    awaiter.TrySetCanceled(cancellationToken); // Never recorded: scheduled and cancelled within one task.
                }
            });
        }

        return awaiter.Task;
    }

    Task<JsonElement?> IWorkflowContext.ExecuteLocalActivityAsync(string activityName, JsonElement input, LocalActivityOptions options, int attempt, DateTime firstCalledAt)
    {
        if (TakeUndeliveredCancellation() is { } canceled)
        {
            return Task.FromException<JsonElement?>(canceled);
        }

        var awaiter = new TaskCompletionSource<JsonElement?>();
        var request = new LocalActivityRequest(Info.WorkflowId, Info.RunId, Info.TaskQueue, activityName, input, options, attempt, new DateTimeOffset(firstCalledAt, TimeSpan.Zero));
        pending.Enqueue(new LocalActivityCommand(request, awaiter));
        return awaiter.Task;
    }

    Task IWorkflowContext.DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (TakeUndeliveredCancellation() is { } canceled)
        {
            return Task.FromException(canceled);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var awaiter = new TaskCompletionSource();
        long? startedEventId = null;
        var command = new StartTimerCommand(delay, id =>
        {
            startedEventId = id;
            timers[id] = awaiter;
        });
        pending.Enqueue(command);
        if (cancellationToken.CanBeCanceled)
        {
            // Workflow code cancels its own token, so this runs at the same point on every replay.
            cancellationToken.Register(() =>
            {
                if (startedEventId is { } id)
                {
                    if (timers.Remove(id))
                    {
                        pending.Enqueue(new CancelTimerCommand(id));
                        awaiter.TrySetCanceled(cancellationToken);
                    }
                }
                else if (RemovePending(command))
                {
                    awaiter.TrySetCanceled(cancellationToken); // Never recorded: it started and ended within one task.
                }
            });
        }

        return awaiter.Task;
    }

    Task<bool> IWorkflowContext.WaitConditionAsync(Func<bool> condition, TimeSpan? timeout)
    {
        if (TakeUndeliveredCancellation() is { } canceled)
        {
            return Task.FromException<bool>(canceled);
        }

        if (condition())
        {
            return Task.FromResult(true);
        }

        var awaiter = new TaskCompletionSource<bool>();
        conditions.Add((condition, awaiter));
        if (timeout is { } limit)
        {
            // The timeout timer is cancelled once the condition wins, so it leaves no wake-up behind.
            var timeoutTimer = new CancellationTokenSource();
            ((IWorkflowContext)this).DelayAsync(limit, timeoutTimer.Token).ContinueWith(
                _ =>
                {
                    if (conditions.RemoveAll(c => c.Awaiter == awaiter) > 0)
                    {
                        awaiter.TrySetResult(false);
                    }
                },
                CancellationToken.None, TaskContinuationOptions.None, scheduler);
            awaiter.Task.ContinueWith(_ => timeoutTimer.Cancel(), CancellationToken.None, TaskContinuationOptions.None, scheduler);
        }

        return awaiter.Task;
    }

    IReadOnlyDictionary<string, JsonElement> IWorkflowContext.SearchAttributes => currentAttributes;

    void IWorkflowContext.UpsertSearchAttributes(IReadOnlyDictionary<string, object?> changes)
    {
        IReadOnlyDictionary<string, JsonElement?> recorded;
        IReadOnlyDictionary<string, JsonElement> updated;
        try
        {
            recorded = attributes.Normalize(changes);
            updated = Visibility.SearchAttributeRegistry.Merge(currentAttributes, recorded);
        }
        catch (InvalidWorkflowRequestException e)
        {
            // A deployment mistake (an unregistered name, a wrong type), not the workflow's: fail the task, retried until fixed.
            taskFailure ??= e;
            return;
        }

        currentAttributes = updated;
        pending.Enqueue(new UpsertSearchAttributesCommand(recorded));
    }

    bool IWorkflowContext.Patched(string patchId, bool deprecated)
    {
        if (patches.TryGetValue(patchId, out var known))
        {
            return known;
        }

        // Replaying a history recorded before the patch existed: take the old branch. New code paths take the new one.
        var patched = !IsReplaying || recordedPatches.Contains(patchId);
        if (patched)
        {
            pending.Enqueue(new RecordMarkerCommand(patchId, deprecated));
        }

        patches[patchId] = patched;
        return patched;
    }

    private bool RemovePending(Command command)
    {
        var kept = pending.Where(c => !ReferenceEquals(c, command)).ToList();
        if (kept.Count == pending.Count)
        {
            return false;
        }

        pending.Clear();
        kept.ForEach(pending.Enqueue);
        return true;
    }

    /// <summary>Cancellation reaches the code at every pending await; what it started afterwards (cleanup) runs normally.</summary>
    private void RequestCancellation(string? reason)
    {
        IsCancellationRequested = true;
        cancelReason = reason;
        // Requested while the code awaited nothing (an outcome and the request came in one task): its next await gets it instead.
        cancellationUndelivered = activities.Count + timers.Count + children.Count + externalRequests.Count + conditions.Count == 0;
        Abandon(activities, a => a.Awaiter.TrySetException(new WorkflowCanceledException(reason)));
        Abandon(timers, t => t.TrySetException(new WorkflowCanceledException(reason)));
        Abandon(children, c => c.Fail(new WorkflowCanceledException(reason)));
        Abandon(externalRequests, r => r.Awaiter.TrySetException(new WorkflowCanceledException(reason)));
        conditions.ForEach(c => c.Awaiter.TrySetException(new WorkflowCanceledException(reason)));
        conditions.Clear();
    }

    /// <summary>
    /// A cancellation no await has delivered yet reaches the code's next await, once, as a <see cref="WorkflowCanceledException"/>
    /// (as Temporal's already-cancelled workflow token would). Once the code has seen it, there or through
    /// <see cref="Workflow.IsCancellationRequested"/>, what it starts (cleanup) runs normally.
    /// </summary>
    private WorkflowCanceledException? TakeUndeliveredCancellation()
    {
        if (!cancellationUndelivered)
        {
            return null;
        }

        cancellationUndelivered = false;
        return new WorkflowCanceledException(cancelReason);
    }

    bool IWorkflowContext.IsCancellationRequested
    {
        get
        {
            cancellationUndelivered = false; // seen: the code decides what to do about it
            return IsCancellationRequested;
        }
    }

    /// <summary>Fails every pending awaiter of one kind; outcomes that arrive for them later are applied as no-ops.</summary>
    private void Abandon<T>(Dictionary<long, T> pendingWork, Func<T, bool> fail)
    {
        foreach (var (id, entry) in pendingWork)
        {
            abandoned.Add(id);
            fail(entry);
        }

        pendingWork.Clear();
    }

    /// <summary>Removes the awaiter of the work an inbound event reports; history that reports work never started is corrupt.</summary>
    private T Take<T>(Dictionary<long, T> pendingWork, long scheduledEventId, HistoryEvent recorded) =>
        pendingWork.Remove(scheduledEventId, out var entry)
            ? entry
            : throw new InvalidOperationException($"Workflow '{Info.WorkflowId}': event {recorded.EventId} reports the outcome of event {scheduledEventId}, which is not pending.");
}
