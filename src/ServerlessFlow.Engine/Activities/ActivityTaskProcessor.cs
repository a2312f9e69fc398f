using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Runs activity attempts. The activity row in the workflow's partition is the truth: a message for an
/// activity that is closed, gone, or waiting out a retry back-off is acknowledged or delayed, never run.
/// An attempt is claimed (ETag-guarded) before it runs, a timeout check is scheduled for its deadline,
/// and its outcome is written to the workflow's inbox together with closing the row, then the workflow is woken.
/// </summary>
internal sealed class ActivityTaskProcessor(
    IWorkflowStore store,
    ActivityOutcomes outcomes,
    ActivityTimeoutProcessor timeouts,
    OutboxSender outbox,
    WorkflowRegistry registry,
    IServiceScopeFactory scopes,
    WorkerOptions options,
    TimeProvider time)
{
    public async Task<TaskOutcome> HandleAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        if (await outcomes.ReadOpenAsync(message, cancellationToken) is not { } row)
        {
            return TaskOutcome.Completed;
        }

        var now = time.GetUtcNow();
        if (row.NextAttemptAt is { } next && next > now)
        {
            return TaskOutcome.RetryAfter(next - now);
        }

        if (row.State == ActivityState.Started)
        {
            // Another worker runs this attempt. Past its deadline that worker is gone (it may have died before
            // sending its timeout check): the attempt is expired here and the next one scheduled.
            var (deadline, reason) = ActivityTimeouts.AttemptDeadline(row);
            if (now < deadline + options.ActivityTimeoutSlack)
            {
                return TaskOutcome.RetryAfter(deadline + options.ActivityTimeoutSlack - now);
            }

            await timeouts.ExpireAttemptAsync(row, reason, cancellationToken);
            return TaskOutcome.Completed;
        }

        var claimed = await store.UpdateActivityAsync(row with { State = ActivityState.Started, StartedAt = now, NextAttemptAt = null, LastHeartbeatAt = null }, cancellationToken);
        if (claimed is null)
        {
            return TaskOutcome.RetryAfter(TimeSpan.FromSeconds(1));
        }

        var check = new TaskMessage { Kind = TaskKind.ActivityTimeout, WorkflowId = claimed.WorkflowId, RunId = claimed.RunId, ScheduledEventId = claimed.ScheduledEventId, Attempt = claimed.Attempt };
        await outbox.SendOneAsync(QueueNames.Workflow(claimed.WorkflowTaskQueue), check, ActivityTimeouts.AttemptDeadline(claimed).At + options.ActivityTimeoutSlack, cancellationToken);
        return await RunAttemptAsync(claimed, cancellationToken);
    }

    private async Task<TaskOutcome> RunAttemptAsync(ActivityTaskRecord claimed, CancellationToken cancellationToken)
    {
        if (registry.FindActivity(claimed.ActivityName) is not { } definition)
        {
            await outcomes.FailAsync(claimed, new FailureInfo
            {
                Type = "UnknownActivity",
                Message = $"No activity named '{claimed.ActivityName}' is registered on the workers of task queue '{claimed.TaskQueue}'. Register it with AddActivities<T>() or fix the name.",
                NonRetryable = true,
            }, cancellationToken);
            return TaskOutcome.Completed;
        }

        JsonElement? result = null;
        FailureInfo? failure = null;
        TimeSpan? requestedDelay = null;
        ActivityTaskRecord current;
        await using (var monitor = new AttemptMonitor(claimed, store, time, options, cancellationToken))
        {
            var info = new ActivityInfo(claimed.WorkflowId, claimed.RunId, claimed.ActivityName, claimed.ScheduledEventId, claimed.Attempt, claimed.TaskQueue);
            try
            {
                var args = ReadArguments(definition, claimed.Input);
                await using var scope = scopes.CreateAsyncScope();
                var instance = definition.Instance ?? scope.ServiceProvider.GetRequiredService(definition.Class);
                using (ActivityExecutionContext.Enter(new ActivityExecutionContext(info, claimed.HeartbeatDetails, monitor.Record, monitor.Token)))
                {
                    var value = await definition.InvokeAsync(instance, definition.BindArguments(args, monitor.Token)).WaitAsync(monitor.Token);
                    result = PayloadJson.ToElement(value);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The attempt's token is cancelled only by the monitor (a timeout, or the row gone) or a stopping worker (excluded
                // above). A token cancelled with no reason yet is the start-to-close timer: its registration that records the reason
                // may run after the activity's own (callbacks run newest first), and the failure must say "timeout", not "canceled".
                var stopped = monitor.StopReason ?? (monitor.Token.IsCancellationRequested ? ActivityTimeouts.StartToClose : null);
                failure = stopped is { } reason && reason != ActivityTimeouts.Cancelled
                    ? ActivityTimeouts.Failure(reason, claimed)
                    : FailureInfo.FromException(e);
                requestedDelay = (e as ApplicationFailureException)?.NextRetryDelay;
            }

            current = await monitor.FinishAsync();
            current = current with { HeartbeatDetails = monitor.LatestDetails };
            if (monitor.StopReason == ActivityTimeouts.Cancelled)
            {
                return TaskOutcome.Completed; // The workflow no longer wants this activity: its row is gone.
            }
        }

        if (failure is null)
        {
            await outcomes.CloseAsync(current, new ActivityCompleted { ScheduledEventId = current.ScheduledEventId, Result = result, Attempt = current.Attempt }, cancellationToken);
            return TaskOutcome.Completed;
        }

        if (outcomes.NextAttempt(current, failure, requestedDelay) is not { } next)
        {
            await outcomes.FailAsync(current, failure, cancellationToken);
            return TaskOutcome.Completed;
        }

        // Not stored means the row changed (cancelled, or taken over): this message is done either way.
        return await store.UpdateActivityAsync(next, cancellationToken) is null ? TaskOutcome.Completed : TaskOutcome.RetryAfter(next.NextAttemptAt!.Value - time.GetUtcNow());
    }

    private static List<object?> ReadArguments(ActivityDefinition definition, JsonElement input)
    {
        var values = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().ToList() : [];
        try
        {
            return values.Select((value, i) => i < definition.ArgumentTypes.Count ? value.Deserialize(definition.ArgumentTypes[i], PayloadJson.Options) : null).ToList();
        }
        catch (JsonException e)
        {
            throw new ApplicationFailureException($"The arguments of activity '{definition.Name}' do not match its parameters: {e.Message}", "ActivityArgumentMismatch", nonRetryable: true, inner: e);
        }
    }
}
