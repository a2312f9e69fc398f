using System.Text.Json.Serialization;

namespace ServerlessFlow;

/// <summary>Per-call options of an activity. At least one of the two close timeouts is required.</summary>
public sealed record ActivityOptions
{
    /// <summary>Longest time one attempt may run. Required unless <see cref="ScheduleToCloseTimeout"/> is set.</summary>
    public TimeSpan? StartToCloseTimeout { get; init; }

    /// <summary>Longest time all attempts together may take, retries included.</summary>
    public TimeSpan? ScheduleToCloseTimeout { get; init; }

    /// <summary>Longest time a task may wait in its queue for a worker; not retried when exceeded.</summary>
    public TimeSpan? ScheduleToStartTimeout { get; init; }

    /// <summary>Longest time between heartbeats before the attempt counts as timed out.</summary>
    public TimeSpan? HeartbeatTimeout { get; init; }

    /// <summary>Retry policy; <see cref="RetryPolicy.Default"/> when null.</summary>
    public RetryPolicy? RetryPolicy { get; init; }

    /// <summary>Task queue the activity runs on; the workflow's own task queue when null.</summary>
    public string? TaskQueue { get; init; }

    /// <summary>
    /// Cancels this one activity when workflow code cancels it (a <see cref="CancellationTokenSource"/> the workflow
    /// owns; <c>Cancel()</c>, not <c>CancelAsync()</c>). The cancellation is recorded in history as
    /// <see cref="History.ActivityCanceled"/>, the awaiting call throws <see cref="TaskCanceledException"/>, the
    /// activity's task row is deleted — so an attempt that heartbeats sees its own token cancelled — and an outcome that
    /// arrives later is dropped. Not part of the recorded options.
    /// </summary>
    [JsonIgnore]
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Throws when the options cannot be used, naming the fix.</summary>
    internal void Validate(string activityName)
    {
        if (StartToCloseTimeout is null && ScheduleToCloseTimeout is null)
        {
            throw new ArgumentException(
                $"Activity '{activityName}' has neither StartToCloseTimeout nor ScheduleToCloseTimeout. " +
                "Set at least one of them in the ActivityOptions passed to Workflow.ExecuteActivityAsync.");
        }
    }
}
