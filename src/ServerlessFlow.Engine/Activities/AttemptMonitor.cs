using System.Text.Json;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Watches one running attempt: ends it at its start-to-close timeout or when heartbeats stop for
/// longer than the heartbeat timeout, and writes heartbeats to the activity row at most once per
/// throttle interval. A heartbeat write that finds the row gone or taken over means the activity was
/// cancelled (or given to another worker): the attempt's token is cancelled.
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

    public AttemptMonitor(ActivityTaskRecord claimed, IWorkflowStore store, TimeProvider time, WorkerOptions options, CancellationToken workerStopping)
    {
        this.store = store;
        this.time = time;
        Current = claimed;
        lastBeat = time.GetUtcNow();
        stop = CancellationTokenSource.CreateLinkedTokenSource(workerStopping);
        attempt = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var timeout = ActivityTimeouts.AttemptTimeout(claimed.Options);
        attempt.CancelAfter(timeout);
        attempt.Token.Register(() => StopReason ??= workerStopping.IsCancellationRequested ? null : ActivityTimeouts.StartToClose);
        var heartbeatTimeout = claimed.Options.HeartbeatTimeout;
        var throttle = heartbeatTimeout is { } hb && hb * 0.8 < options.MaxHeartbeatThrottle ? hb * 0.8 : options.MaxHeartbeatThrottle;
        watching = WatchAsync(throttle, heartbeatTimeout);
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

                var saved = await store.UpdateActivityAsync(Current with { HeartbeatDetails = toSave, LastHeartbeatAt = time.GetUtcNow() }, stop.Token);
                if (saved is null)
                {
                    End(ActivityTimeouts.Cancelled);
                    return;
                }

                Current = saved;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Finished.
        }
    }

    private void End(string reason)
    {
        StopReason ??= reason;
        attempt.Cancel();
    }
}
