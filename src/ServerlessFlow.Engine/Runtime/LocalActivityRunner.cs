using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Activities;
using ServerlessFlow.Engine.Execution;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Runs a workflow task together with the local activities its code calls: each runs here, in this worker, with its retries
/// (short back-offs waited here, a longer one handed back to the code as a durable timer), and its outcome goes into the
/// task's commit as a marker. Nothing is written until that commit, so a crash before it runs the activity again.
/// </summary>
internal sealed class LocalActivityRunner(WorkflowRegistry registry, IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>The workflow task's events: <see cref="WorkflowExecution.RunTask"/> and whatever the local activities it waits for release.</summary>
    public async Task<IReadOnlyList<HistoryEvent>> RunTaskAsync(WorkflowExecution execution, IReadOnlyList<HistoryEvent> inbound, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = execution.RunTask(inbound, now);
        if (execution.PendingLocalActivity is null)
        {
            return events;
        }

        var all = events.ToList();
        while (execution.PendingLocalActivity is { } request)
        {
            all.AddRange(execution.ResolveLocalActivity(await RunAsync(request, cancellationToken), now));
        }

        return all;
    }

    /// <summary>Runs attempts from the request's until one completes, the failure is final, or the next back-off is too long to wait here.</summary>
    public async Task<LocalActivityOutcome> RunAsync(LocalActivityRequest request, CancellationToken cancellationToken)
    {
        var policy = request.Options.RetryPolicy ?? RetryPolicy.Default;
        var threshold = request.Options.LocalRetryThreshold ?? LocalActivityOptions.DefaultLocalRetryThreshold;
        DateTimeOffset? closeBy = request.Options.ScheduleToCloseTimeout is { } scheduleToClose ? request.FirstCalledAt + scheduleToClose : null;
        for (var attempt = request.Attempt; ; attempt++)
        {
            var (result, failure, requestedDelay) = await RunAttemptAsync(request, attempt, closeBy, cancellationToken);
            if (failure is null)
            {
                return new LocalActivityOutcome(attempt, result, null, null);
            }

            var delay = requestedDelay ?? policy.DelayBefore(attempt + 1);
            if (failure.NonRetryable || !policy.AllowsRetry(attempt, failure.Type) || (closeBy is { } deadline && time.GetUtcNow() + delay >= deadline))
            {
                return new LocalActivityOutcome(attempt, null, failure, null);
            }

            if (delay > threshold)
            {
                return new LocalActivityOutcome(attempt, null, failure, delay);
            }

            // A real pause of this worker inside the task, so real time: a test environment's virtual clock does not move while a
            // workflow task is in flight, and would never end this wait.
            await Task.Delay(delay, TimeProvider.System, cancellationToken);
        }
    }

    private async Task<(System.Text.Json.JsonElement? Result, FailureInfo? Failure, TimeSpan? RequestedDelay)> RunAttemptAsync(
        LocalActivityRequest request, int attempt, DateTimeOffset? closeBy, CancellationToken workerStopping)
    {
        if (registry.FindActivity(request.ActivityName) is not { } definition)
        {
            return (null, new FailureInfo
            {
                Type = "UnknownActivity",
                Message = $"No activity named '{request.ActivityName}' is registered on this worker, which runs workflow task queue '{request.TaskQueue}' " +
                    "and so its local activities. Register it with AddActivities<T>() or fix the name.",
                NonRetryable = true,
            }, null);
        }

        var (limit, timeoutType) = AttemptLimit(request.Options, closeBy);
        using var timeout = new CancellationTokenSource(limit, TimeProvider.System); // bounds real work in this process, as the pause above
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, workerStopping);
        var startedAt = time.GetUtcNow();
        var info = new ActivityInfo(request.WorkflowId, request.RunId, request.ActivityName, ScheduledEventId: 0, attempt, request.TaskQueue)
        {
            StartedAt = startedAt,
            Deadline = startedAt + limit,
        };
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var instance = definition.CreateInstance(scope.ServiceProvider);
            using (ActivityExecutionContext.Enter(new ActivityExecutionContext(info, null, _ => { }, linked.Token)))
            {
                var value = await definition.InvokeAsync(instance, request.Input, linked.Token).WaitAsync(linked.Token);
                return (PayloadJson.ToElement(value), null, null);
            }
        }
        catch (Exception e) when (!workerStopping.IsCancellationRequested)
        {
            var failure = timeout.IsCancellationRequested
                ? new FailureInfo
                {
                    Type = timeoutType,
                    Message = $"Local activity '{request.ActivityName}' {(timeoutType == ActivityTimeouts.StartToClose ? "start-to-close" : "schedule-to-close")} timeout of {limit} exceeded (attempt {attempt}).",
                }
                : FailureInfo.FromException(e);
            return (null, failure, (e as ApplicationFailureException)?.NextRetryDelay);
        }
    }

    /// <summary>How long this attempt may run: its start-to-close timeout, cut short by what is left of schedule-to-close.</summary>
    private (TimeSpan Limit, string Type) AttemptLimit(LocalActivityOptions options, DateTimeOffset? closeBy)
    {
        var left = closeBy is { } deadline ? deadline - time.GetUtcNow() : (TimeSpan?)null;
        if (left is { } remaining && (options.StartToCloseTimeout is not { } own || remaining < own))
        {
            return (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, ActivityTimeouts.ScheduleToClose);
        }

        return (options.StartToCloseTimeout!.Value, ActivityTimeouts.StartToClose);
    }
}
