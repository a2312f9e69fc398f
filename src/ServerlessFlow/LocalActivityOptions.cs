namespace ServerlessFlow;

/// <summary>
/// Options of a local activity (<c>Workflow.ExecuteLocalActivityAsync</c>): a short activity run by the worker that runs the
/// workflow task, inside that task, its outcome recorded as a marker in the task's commit.
/// </summary>
/// <remarks>
/// WARNING: a local activity runs before the commit that records it. If the worker crashes (or the commit loses a race) after
/// the activity ran and before the commit, the task is run again and so is the activity: keep local activities short and
/// idempotent, as any activity. Use a normal activity for anything long, or that needs heartbeats or another task queue.
/// </remarks>
public sealed record LocalActivityOptions
{
    /// <summary>Longest back-off that is waited inside the workflow task (Temporal's local retry threshold); a longer one becomes a durable timer.</summary>
    public static readonly TimeSpan DefaultLocalRetryThreshold = TimeSpan.FromMinutes(1);

    /// <summary>Longest timeout a local activity may have: it runs inside one workflow task, in this process.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(30);

    /// <summary>Longest time one attempt may run.</summary>
    public TimeSpan? StartToCloseTimeout { get; init; }

    /// <summary>Longest time all attempts together may take, from the first call (back-off timers included).</summary>
    public TimeSpan? ScheduleToCloseTimeout { get; init; }

    /// <summary>How failed attempts are retried; <see cref="RetryPolicy.Default"/> when null.</summary>
    public RetryPolicy? RetryPolicy { get; init; }

    /// <summary>
    /// Back-offs up to this long are waited inside the workflow task; a longer one is a durable timer, after which the next attempt
    /// runs in a later task. <see cref="DefaultLocalRetryThreshold"/> when null.
    /// </summary>
    public TimeSpan? LocalRetryThreshold { get; init; }

    /// <summary>Throws when the options cannot be used, naming the fix.</summary>
    internal void Validate(string activityName)
    {
        if (StartToCloseTimeout is null && ScheduleToCloseTimeout is null)
        {
            throw new ArgumentException(
                $"Local activity '{activityName}' has neither StartToCloseTimeout nor ScheduleToCloseTimeout. " +
                "Set at least one of them in the LocalActivityOptions passed to Workflow.ExecuteLocalActivityAsync.");
        }

        foreach (var (name, value) in new[] { (nameof(StartToCloseTimeout), StartToCloseTimeout), (nameof(ScheduleToCloseTimeout), ScheduleToCloseTimeout) })
        {
            if (value is { } timeout && (timeout <= TimeSpan.Zero || timeout > MaxTimeout))
            {
                throw new ArgumentException($"Local activity '{activityName}' has {name} {timeout}: use more than zero and at most {MaxTimeout.TotalDays} days.");
            }
        }

        if (LocalRetryThreshold is { } threshold && (threshold < TimeSpan.Zero || threshold > MaxTimeout))
        {
            throw new ArgumentException($"Local activity '{activityName}' has LocalRetryThreshold {threshold}: use zero or more and at most {MaxTimeout.TotalDays} days.");
        }
    }
}

/// <summary>
/// A local activity failed and its next attempt waits longer than the local retry threshold: the workflow API waits for it with a
/// durable timer and calls again. Never seen by workflow code.
/// </summary>
internal sealed class LocalActivityBackoffException(TimeSpan delay, int nextAttempt) : Exception("A local activity backs off with a durable timer.")
{
    public TimeSpan Delay { get; } = delay;

    public int NextAttempt { get; } = nextAttempt;
}
