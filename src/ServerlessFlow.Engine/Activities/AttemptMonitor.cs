using System.Text.Json;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Watches one running attempt: ends it at its start-to-close timeout or when heartbeats stop for
/// longer than the heartbeat timeout, and writes heartbeats to the activity row at most once per
/// throttle interval. A heartbeat write that finds the row gone or taken over means the activity was
/// cancelled (or given to another worker): the attempt's token is cancelled. An attempt run eagerly starts
/// without the row's ETag (its row was written by the workflow commit); it reads the row before its first heartbeat
/// write. A heartbeat write that fails (storage down) is retried at the next tick and never ends the attempt.
/// </summary>
internal sealed class AttemptMonitor : IAsyncDisposable
{
    private readonly IWorkflowStore store;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource stop;
    private readonly CancellationTokenSource attempt;
    private readonly Task watching;
    private readonly Lock gate = new();
    private JsonElement? details;
    private bool unsaved;
    private DateTimeOffset lastBeat;

    private readonly CancellationTokenRegistration cancelled;
    private readonly Microsoft.Extensions.Logging.ILogger logger;

    public AttemptMonitor(
        ActivityTaskRecord claimed, IWorkflowStore store, TimeProvider time, WorkerOptions options, Microsoft.Extensions.Logging.ILogger logger,
        CancellationToken cancel, CancellationToken workerStopping)
    {
        this.logger = logger;
        this.store = store;
        this.time = time;
        Current = claimed;
        var now = time.GetUtcNow();
        // Deadlines count from the start the row records (stamped before the commit or claim that wrote it), as a takeover does.
        lastBeat = claimed.LastHeartbeatAt ?? claimed.StartedAt ?? now;
        stop = CancellationTokenSource.CreateLinkedTokenSource(workerStopping);
        attempt = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var (closeBy, reason) = ActivityTimeouts.CloseDeadline(claimed);
        attempt.CancelAfter(closeBy > now ? closeBy - now : TimeSpan.Zero);
        attempt.Token.Register(() => StopReason ??= workerStopping.IsCancellationRequested ? null : reason);
        var heartbeatTimeout = claimed.Options.HeartbeatTimeout;
        var throttle = heartbeatTimeout is { } hb && hb * 0.8 < options.MaxHeartbeatThrottle ? hb * 0.8 : options.MaxHeartbeatThrottle;
        watching = WatchAsync(throttle, heartbeatTimeout);
        cancelled = cancel.Register(() => End(ActivityTimeouts.Cancelled));
    }

    /// <summary>The attempt's token: what the activity code sees.</summary>
    public CancellationToken Token => attempt.Token;

    /// <summary>The row as last written (its ETag is the one to close with).</summary>
    public ActivityTaskRecord Current { get; private set; }

    /// <summary>Why the attempt was stopped: a timeout failure type, or <see cref="ActivityTimeouts.Cancelled"/>; null if it was not.</summary>
    public string? StopReason { get; private set; }

    /// <summary>The details of the latest heartbeat, written or not: a failed attempt hands them to the next one.</summary>
    public JsonElement? LatestDetails
    {
        get
        {
            lock (gate)
            {
                return unsaved ? details : Current.HeartbeatDetails;
            }
        }
    }

    /// <summary>Records a heartbeat; it is written at the next throttle tick.</summary>
    public void Record(JsonElement? heartbeatDetails)
    {
        lock (gate)
        {
            details = heartbeatDetails;
            unsaved = true;
            lastBeat = time.GetUtcNow();
        }
    }

    /// <summary>Stops watching and writes nothing more; returns the row to close with.</summary>
    public async Task<ActivityTaskRecord> FinishAsync()
    {
        await stop.CancelAsync();
        await watching;
        return Current;
    }

    public async ValueTask DisposeAsync()
    {
        await cancelled.DisposeAsync();
        await stop.CancelAsync();
        await watching;
        attempt.Dispose();
        stop.Dispose();
    }

    private async Task WatchAsync(TimeSpan throttle, TimeSpan? heartbeatTimeout)
    {
        try
        {
            while (!attempt.IsCancellationRequested)
            {
                await Task.Delay(throttle, time, stop.Token);
                JsonElement? toSave;
                lock (gate)
                {
                    if (heartbeatTimeout is { } limit && time.GetUtcNow() - lastBeat > limit)
                    {
                        End(ActivityTimeouts.Heartbeat);
                        return;
                    }

                    toSave = details;
                    if (!unsaved)
                    {
                        continue;
                    }

                    unsaved = false;
                }

                if (!await SaveAsync(toSave))
                {
                    End(ActivityTimeouts.Cancelled);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Finished.
        }
    }

    /// <summary>Writes a heartbeat; false when the row is gone or no longer this attempt's. A storage failure keeps the details for the next tick.</summary>
    private async Task<bool> SaveAsync(JsonElement? toSave)
    {
        try
        {
            if (Current.ETag is null)
            {
                var row = await store.ReadActivityAsync(Current.WorkflowId, Current.RunId, Current.ScheduledEventId, stop.Token);
                if (row is not { State: ActivityState.Started } || row.Attempt != Current.Attempt || row.StartedAt != Current.StartedAt)
                {
                    return false;
                }

                Current = row;
            }

            var saved = await store.UpdateActivityAsync(Current with { HeartbeatDetails = toSave, LastHeartbeatAt = time.GetUtcNow() }, stop.Token);
            if (saved is null)
            {
                return false;
            }

            Current = saved;
            return true;
        }
        catch (StoreException e)
        {
            // The attempt goes on: its result matters more than this heartbeat, and the details are written at the next tick.
            lock (gate)
            {
                unsaved = true;
            }

            Runtime.Log.HeartbeatSaveFailed(logger, Current.WorkflowId, Current.ScheduledEventId, e);
            return true;
        }
    }

    private void End(string reason)
    {
        StopReason ??= reason;
        attempt.Cancel();
    }
}
