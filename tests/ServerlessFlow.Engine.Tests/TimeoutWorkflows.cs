namespace ServerlessFlow.Engine.Tests;

/// <summary>A business exception with a short name that a retry policy lists.</summary>
public sealed class ShippingRejectedException(string message) : Exception(message);

/// <summary>One activity that hangs (until its token is cancelled), is rejected, or fails.</summary>
public sealed class TimeoutActivities
{
    [Activity]
    public async Task RunAsync(string behaviour)
    {
        var context = ActivityExecutionContext.Current;
        switch (behaviour)
        {
            case "hang":
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                break;
            case "reject":
                throw new ShippingRejectedException("address unknown");
            default:
                throw new InvalidOperationException("nope");
        }
    }
}

/// <summary>Runs one <see cref="TimeoutActivities"/> call under the case's options; returns "{type}|{attempts}|{message}" of its failure.</summary>
[Workflow]
public sealed class RunsWithOptions
{
    [WorkflowRun]
    public async Task<string> RunAsync(ActivityCase request)
    {
        ArgumentNullException.ThrowIfNull(request);
        static TimeSpan? Ms(int? ms) => ms is { } value ? TimeSpan.FromMilliseconds(value) : null;
        var options = new ActivityOptions
        {
            StartToCloseTimeout = Ms(request.StartToCloseMs),
            ScheduleToCloseTimeout = Ms(request.ScheduleToCloseMs),
            ScheduleToStartTimeout = Ms(request.ScheduleToStartMs),
            HeartbeatTimeout = Ms(request.HeartbeatTimeoutMs),
            TaskQueue = request.TaskQueue,
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(request.RetryIntervalMs), MaximumAttempts = request.MaxAttempts, NonRetryableErrorTypes = request.NonRetryable ?? [] },
        };
        try
        {
            await Workflow.ExecuteActivityAsync((TimeoutActivities a) => a.RunAsync(request.Behaviour), options);
            return "completed";
        }
        catch (ActivityFailureException e)
        {
            var inner = (ApplicationFailureException)e.InnerException!;
            return $"{inner.ErrorType}|{e.Attempts}|{inner.Message}";
        }
    }
}

public sealed record ActivityCase(
    string Behaviour, int? StartToCloseMs = null, int? ScheduleToCloseMs = null, int? ScheduleToStartMs = null, int? HeartbeatTimeoutMs = null,
    string? TaskQueue = null, int MaxAttempts = 0, IReadOnlyList<string>? NonRetryable = null, int RetryIntervalMs = 50);
