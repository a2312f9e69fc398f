using System.Text.Json;

namespace ServerlessFlow;

/// <summary>Facts about the activity attempt that is running, available to activity code through <see cref="Current"/>.</summary>
public sealed class ActivityExecutionContext
{
    private static readonly AsyncLocal<ActivityExecutionContext?> CurrentContext = new();

    private readonly Action<JsonElement?> heartbeat;
    private readonly JsonElement? lastDetails;

    internal ActivityExecutionContext(ActivityInfo info, JsonElement? lastDetails, Action<JsonElement?> heartbeat, CancellationToken cancellationToken)
    {
        Info = info;
        CancellationToken = cancellationToken;
        this.lastDetails = lastDetails;
        this.heartbeat = heartbeat;
    }

    /// <summary>The context of the activity running on this async flow.</summary>
    public static ActivityExecutionContext Current =>
        CurrentContext.Value ?? throw new InvalidOperationException("ActivityExecutionContext.Current is available only inside an activity method.");

    /// <summary>True when the calling code runs inside an activity.</summary>
    public static bool HasCurrent => CurrentContext.Value is not null;

    /// <summary>What is running.</summary>
    public ActivityInfo Info { get; }

    /// <summary>
    /// Cancelled when the attempt times out, when the activity is cancelled (seen at the next heartbeat
    /// write), or when the worker shuts down.
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Reports progress. Details are kept for the next attempt (<see cref="GetHeartbeatDetails{T}"/>);
    /// writes are throttled, so calling this in a tight loop is fine. Heartbeating is how a long activity
    /// proves it is alive (heartbeat timeout) and how it learns it was cancelled.
    /// </summary>
    public void Heartbeat(object? details = null) => heartbeat(PayloadJson.ToElement(details));

    /// <summary>The details of the last heartbeat of an earlier attempt (or this one), if any.</summary>
    public T? GetHeartbeatDetails<T>() => PayloadJson.FromElement<T>(lastDetails);

    internal static IDisposable Enter(ActivityExecutionContext context)
    {
        CurrentContext.Value = context;
        return new Exit();
    }

    private sealed class Exit : IDisposable
    {
        public void Dispose() => CurrentContext.Value = null;
    }
}

/// <summary>Facts about an activity attempt.</summary>
/// <param name="WorkflowId">The workflow that scheduled it.</param>
/// <param name="RunId">That workflow's run.</param>
/// <param name="ActivityName">The activity name.</param>
/// <param name="ScheduledEventId">Its <c>ActivityScheduled</c> event, unique within the run.</param>
/// <param name="Attempt">The attempt, from 1.</param>
/// <param name="TaskQueue">The task queue it runs on.</param>
public sealed record ActivityInfo(string WorkflowId, string RunId, string ActivityName, long ScheduledEventId, int Attempt, string TaskQueue)
{
    /// <summary>When this attempt started, as its row records it: its start-to-close and heartbeat timeouts count from here (Temporal's <c>StartedTime</c>).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When this attempt is stopped if it has not closed: its start-to-close timeout or the activity's schedule-to-close deadline, whichever comes first.</summary>
    public DateTimeOffset Deadline { get; init; }
}
