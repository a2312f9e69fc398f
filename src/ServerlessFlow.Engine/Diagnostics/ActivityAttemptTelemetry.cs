using System.Diagnostics;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Diagnostics;

/// <summary>
/// The span and latency of one activity attempt: a child of the run's root context (carried in the activity row), so
/// every attempt, on whatever worker and after whatever crash, is in the run's trace. Dispose it when the attempt ends.
/// </summary>
internal sealed class ActivityAttemptTelemetry : IDisposable
{
    private readonly Activity? span;
    private readonly string activityName;
    private readonly long startedAt = Stopwatch.GetTimestamp();
    private string outcome = "abandoned";

    private ActivityAttemptTelemetry(ActivityTaskRecord attempt)
    {
        activityName = attempt.ActivityName;
        span = ServerlessFlowTelemetry.StartRunSpan($"Activity {attempt.ActivityName}", ActivityKind.Internal, attempt.TraceParent, attempt.WorkflowId, attempt.RunId);
        span?.SetTag(TagNames.ActivityName, attempt.ActivityName);
        span?.SetTag(TagNames.ScheduledEventId, attempt.ScheduledEventId);
        span?.SetTag(TagNames.Attempt, attempt.Attempt);
    }

    /// <summary>Starts the span of the claimed attempt.</summary>
    public static ActivityAttemptTelemetry Start(ActivityTaskRecord attempt) => new(attempt);

    /// <summary>The attempt returned a result.</summary>
    public void Completed() => outcome = "completed";

    /// <summary>The workflow dropped the activity while the attempt ran.</summary>
    public void Cancelled() => outcome = "cancelled";

    /// <summary>The attempt failed with <paramref name="failure"/> (a retry may follow).</summary>
    public void Failed(FailureInfo failure)
    {
        outcome = "failed";
        span?.SetStatus(ActivityStatusCode.Error, $"{failure.Type}: {failure.Message}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        span?.SetTag(TagNames.Outcome, outcome);
        span?.Dispose();
        ServerlessFlowTelemetry.ActivityAttemptDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds,
            new KeyValuePair<string, object?>(TagNames.ActivityName, activityName), new KeyValuePair<string, object?>(TagNames.Outcome, outcome));
    }
}
