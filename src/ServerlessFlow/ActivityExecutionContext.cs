namespace ServerlessFlow;

/// <summary>Facts about the activity attempt that is running, available to activity code through <see cref="Current"/>.</summary>
public sealed class ActivityExecutionContext
{
    private static readonly AsyncLocal<ActivityExecutionContext?> CurrentContext = new();

    internal ActivityExecutionContext(ActivityInfo info, CancellationToken cancellationToken)
    {
        Info = info;
        CancellationToken = cancellationToken;
    }

    /// <summary>The context of the activity running on this async flow.</summary>
    public static ActivityExecutionContext Current =>
        CurrentContext.Value ?? throw new InvalidOperationException("ActivityExecutionContext.Current is available only inside an activity method.");

    /// <summary>True when the calling code runs inside an activity.</summary>
    public static bool HasCurrent => CurrentContext.Value is not null;

    /// <summary>What is running.</summary>
    public ActivityInfo Info { get; }

    /// <summary>Cancelled when the attempt times out or the worker shuts down.</summary>
    public CancellationToken CancellationToken { get; }

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
public sealed record ActivityInfo(string WorkflowId, string RunId, string ActivityName, long ScheduledEventId, int Attempt, string TaskQueue);
