using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Diagnostics;
using ServerlessFlow.Engine.Registry;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Runs one claimed attempt of an activity under its <see cref="AttemptMonitor"/> (timeouts, heartbeats, cancellation)
/// and says how it ended. Writes nothing but heartbeats: the queue path and the eager path each record the outcome their way.
/// </summary>
internal sealed class ActivityAttemptRunner(IWorkflowStore store, WorkflowRegistry registry, IServiceScopeFactory scopes, WorkerOptions options, TimeProvider time,
    Microsoft.Extensions.Logging.ILogger<ActivityAttemptRunner> logger)
{
    /// <summary>
    /// Runs the attempt. <paramref name="cancel"/> cancels it as <see cref="ActivityTimeouts.Cancelled"/> (the workflow dropped it);
    /// <paramref name="workerStopping"/> abandons it: the exception propagates and nothing is written, so the attempt's lease runs out.
    /// </summary>
    public async Task<AttemptResult> RunAsync(ActivityTaskRecord claimed, CancellationToken cancel, CancellationToken workerStopping)
    {
        using var telemetry = ActivityAttemptTelemetry.Start(claimed);
        if (registry.FindActivity(claimed.ActivityName) is not { } definition)
        {
            var unknown = new FailureInfo
            {
                Type = "UnknownActivity",
                Message = $"No activity named '{claimed.ActivityName}' is registered on the workers of task queue '{claimed.TaskQueue}'. Register it with AddActivities<T>() or fix the name.",
                NonRetryable = true,
            };
            telemetry.Failed(unknown);
            return new AttemptResult.Failed(unknown, null, claimed);
        }

        JsonElement? result = null;
        FailureInfo? failure = null;
        TimeSpan? requestedDelay = null;
        await using var monitor = new AttemptMonitor(claimed, store, time, options, logger, cancel, workerStopping);
        var info = new ActivityInfo(claimed.WorkflowId, claimed.RunId, claimed.ActivityName, claimed.ScheduledEventId, claimed.Attempt, claimed.TaskQueue)
        {
            StartedAt = claimed.StartedAt ?? time.GetUtcNow(),
            Deadline = ActivityTimeouts.CloseDeadline(claimed).At,
        };
        try
        {
            // Off the caller's thread first: the activity runs on the thread that calls it until its first await, all of it when it is
            // synchronous, and the caller may be a queue's poller (on the in-memory backend every call before this one completes at
            // once), which would stop receiving the queue's other messages until the activity ended, or a batch's handler or recruiter
            // (BatchLane), which would start no other lane meanwhile. The one hop for every path.
            await Task.Yield();
            await using var scope = scopes.CreateAsyncScope();
            var instance = definition.CreateInstance(scope.ServiceProvider);
            using (ActivityExecutionContext.Enter(new ActivityExecutionContext(info, claimed.HeartbeatDetails, monitor.Record, monitor.Token)))
            {
                var value = await definition.InvokeAsync(instance, claimed.Input, monitor.Token).WaitAsync(monitor.Token);
                result = PayloadJson.ToElement(value);
            }
        }
        catch (Exception e) when (!workerStopping.IsCancellationRequested)
        {
            // The attempt's token is cancelled only by the monitor (a timeout, a cancel, or the row gone) or a stopping worker (excluded
            // above). A token cancelled with no reason yet is the start-to-close timer: its registration that records the reason
            // may run after the activity's own (callbacks run newest first), and the failure must say "timeout", not "canceled".
            var stopped = monitor.StopReason ?? (monitor.Token.IsCancellationRequested && !cancel.IsCancellationRequested ? ActivityTimeouts.CloseDeadline(claimed).Reason : null);
            failure = stopped is { } reason && reason != ActivityTimeouts.Cancelled
                ? ActivityTimeouts.Failure(reason, claimed)
                : FailureInfo.FromException(e);
            requestedDelay = (e as ApplicationFailureException)?.NextRetryDelay;
        }

        var current = await monitor.FinishAsync();
        current = current with { HeartbeatDetails = monitor.LatestDetails };
        if (monitor.StopReason == ActivityTimeouts.Cancelled)
        {
            telemetry.Cancelled();
            return AttemptResult.Cancelled.Instance;
        }

        if (failure is null)
        {
            telemetry.Completed();
        }
        else
        {
            telemetry.Failed(failure);
        }

        return failure is null ? new AttemptResult.Completed(result, current) : new AttemptResult.Failed(failure, requestedDelay, current);
    }
}
