using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// Runs activity attempts. The activity row in the workflow's partition is the truth: a message for an
/// activity that is closed, gone, or waiting out a retry back-off is acknowledged or delayed, never run.
/// An attempt is claimed (ETag-guarded) before it runs, its outcome is written to the workflow's inbox
/// together with closing the row (one atomic write), and only then is the workflow woken.
/// </summary>
internal sealed class ActivityTaskProcessor(
    IWorkflowStore store,
    OutboxSender outbox,
    WorkflowRegistry registry,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<ActivityTaskProcessor> logger)
{
    /// <summary>Extra time past an attempt's start-to-close timeout before another worker may take it over (clock skew, slow commit).</summary>
    public static readonly TimeSpan TakeoverSlack = TimeSpan.FromSeconds(5);

    public async Task<TaskOutcome> HandleAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        if (message.RunId is null || message.ScheduledEventId is null)
        {
            return TaskOutcome.DeadLetter("Activity task message lacks its run ID or scheduled event ID.");
        }

        var row = await store.ReadActivityAsync(message.WorkflowId, message.RunId, message.ScheduledEventId.Value, cancellationToken);
        if (row is null || row.State == ActivityState.Closed)
        {
            return TaskOutcome.Completed;
        }

        var now = time.GetUtcNow();
        if (row.NextAttemptAt is { } next && next > now)
        {
            return TaskOutcome.RetryAfter(next - now);
        }

        if (row.State == ActivityState.Started && row.StartedAt is { } started && started + AttemptTimeout(row) + TakeoverSlack > now)
        {
            // Another worker is running this attempt: look again when its time is up.
            return TaskOutcome.RetryAfter(started + AttemptTimeout(row) + TakeoverSlack - now);
        }

        // A started attempt past its timeout belongs to a worker that died: this is the next attempt.
        var attempt = row.State == ActivityState.Started ? row.Attempt + 1 : row.Attempt;
        var claimed = await store.UpdateActivityAsync(row with { State = ActivityState.Started, StartedAt = now, Attempt = attempt, NextAttemptAt = null }, cancellationToken);
        if (claimed is null)
        {
            return TaskOutcome.RetryAfter(TimeSpan.FromSeconds(1));
        }

        var (result, failure) = await RunAttemptAsync(claimed, cancellationToken);
        return failure is null
            ? await CloseAsync(claimed, new ActivityCompleted { ScheduledEventId = claimed.ScheduledEventId, Result = result, Attempt = claimed.Attempt }, cancellationToken)
            : await FailAttemptAsync(claimed, failure, cancellationToken);
    }

    private async Task<(JsonElement? Result, FailureInfo? Failure)> RunAttemptAsync(ActivityTaskRecord row, CancellationToken cancellationToken)
    {
        var definition = registry.FindActivity(row.ActivityName);
        if (definition is null)
        {
            return (null, new FailureInfo
            {
                Type = "UnknownActivity",
                Message = $"No activity named '{row.ActivityName}' is registered on the workers of task queue '{row.TaskQueue}'. Register it with AddActivities<T>() or fix the name.",
                NonRetryable = true,
            });
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout(row));
        var info = new ActivityInfo(row.WorkflowId, row.RunId, row.ActivityName, row.ScheduledEventId, row.Attempt, row.TaskQueue);
        try
        {
            var args = ReadArguments(definition, row.Input);
            await using var scope = scopes.CreateAsyncScope();
            var instance = scope.ServiceProvider.GetRequiredService(definition.Class);
            using (ActivityExecutionContext.Enter(new ActivityExecutionContext(info, timeout.Token)))
            {
                var value = await definition.InvokeAsync(instance, definition.BindArguments(args, timeout.Token)).WaitAsync(timeout.Token);
                return (PayloadJson.ToElement(value), null);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, new FailureInfo { Type = "StartToCloseTimeout", Message = $"Activity '{row.ActivityName}' attempt {row.Attempt} exceeded its timeout of {AttemptTimeout(row)}." });
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, FailureInfo.FromException(e));
        }
    }

    private async Task<TaskOutcome> FailAttemptAsync(ActivityTaskRecord row, FailureInfo failure, CancellationToken cancellationToken)
    {
        Log.ActivityAttemptFailed(logger, row.WorkflowId, row.ActivityName, row.ScheduledEventId, row.Attempt, failure.Message);
        var policy = row.Options.RetryPolicy ?? RetryPolicy.Default;
        var delay = policy.DelayBefore(row.Attempt + 1);
        var retryAt = time.GetUtcNow() + delay;
        var withinDeadline = row.Options.ScheduleToCloseTimeout is not { } limit || retryAt < row.ScheduledAt + limit;
        if (failure.NonRetryable || !policy.AllowsRetry(row.Attempt, failure.Type) || !withinDeadline)
        {
            return await CloseAsync(row, new ActivityFailed { ScheduledEventId = row.ScheduledEventId, Failure = failure, Attempt = row.Attempt }, cancellationToken);
        }

        // The back-off lives in the row, not in memory: any worker honours it after a crash.
        var retry = row with { State = ActivityState.Scheduled, Attempt = row.Attempt + 1, NextAttemptAt = retryAt, LastFailure = failure, StartedAt = null };
        return await store.UpdateActivityAsync(retry, cancellationToken) is null ? TaskOutcome.Completed : TaskOutcome.RetryAfter(delay);
    }

    private async Task<TaskOutcome> CloseAsync(ActivityTaskRecord row, HistoryEvent outcome, CancellationToken cancellationToken)
    {
        var item = new InboxItem
        {
            Key = InboxItem.ActivityKey(row.RunId, row.ScheduledEventId), RunId = row.RunId, Event = outcome, CreatedAt = time.GetUtcNow(),
        };
        if (await store.CloseActivityAsync(row with { State = ActivityState.Closed }, item, cancellationToken))
        {
            Log.ActivityCompleted(logger, row.WorkflowId, row.ActivityName, row.ScheduledEventId, row.Attempt);
            var wake = new TaskMessage { Kind = TaskKind.Workflow, WorkflowId = row.WorkflowId, RunId = row.RunId };
            await outbox.SendOneAsync(QueueNames.Workflow(row.WorkflowTaskQueue), wake, null, cancellationToken);
        }

        // Not closed means the row changed under us (the workflow closed, or a takeover): the message is done either way.
        return TaskOutcome.Completed;
    }

    private static List<object?> ReadArguments(ActivityDefinition definition, JsonElement input)
    {
        var values = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().ToList() : [];
        return values.Select((value, i) => i < definition.ArgumentTypes.Count ? value.Deserialize(definition.ArgumentTypes[i], PayloadJson.Options) : null).ToList();
    }

    private static TimeSpan AttemptTimeout(ActivityTaskRecord row) =>
        row.Options.StartToCloseTimeout ?? row.Options.ScheduleToCloseTimeout ?? TimeSpan.FromMinutes(10);
}
