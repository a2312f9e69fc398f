using System.Diagnostics;
using System.Diagnostics.Metrics;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Diagnostics;

/// <summary>
/// The library's OpenTelemetry sources: one <see cref="ActivitySource"/> for traces and one <see cref="Meter"/> for
/// metrics, both named <see cref="Name"/>. Subscribe with <c>AddSource(ServerlessFlowTelemetry.Name)</c> and
/// <c>AddMeter(ServerlessFlowTelemetry.Name)</c>; nothing is recorded while nobody listens.
/// </summary>
/// <remarks>
/// One workflow run is one trace, whatever worker runs it: the start records its span's W3C <c>traceparent</c> in the
/// <c>WorkflowStarted</c> event and the instance row, and every later span of the run (workflow tasks, activity
/// attempts, child starts) takes that context as its parent instead of whatever is ambient in the worker.
/// </remarks>
public static class ServerlessFlowTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "ServerlessFlow";

    private static readonly string? Version = typeof(ServerlessFlowTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>The source of every span the engine and its hosts create.</summary>
    public static ActivitySource Source { get; } = new(Name, Version);

    /// <summary>The meter of every instrument below.</summary>
    public static Meter Meter { get; } = new(Name, Version);

    /// <summary>Runs started, by <c>workflow.type</c>.</summary>
    internal static Counter<long> WorkflowStarts { get; } = Meter.CreateCounter<long>(
        "serverlessflow.workflow.starts", "{run}", "Workflow runs started.");

    /// <summary>Runs closed, by <c>workflow.type</c> and <c>workflow.status</c>.</summary>
    internal static Counter<long> WorkflowCloses { get; } = Meter.CreateCounter<long>(
        "serverlessflow.workflow.closes", "{run}", "Workflow runs closed, by status.");

    /// <summary>How long a workflow task took, load to commit, by <c>workflow.type</c> and <c>outcome</c>.</summary>
    internal static Histogram<double> WorkflowTaskDuration { get; } = Meter.CreateHistogram<double>(
        "serverlessflow.workflow_task.duration", "s", "Duration of workflow tasks (load, run the code, commit).");

    /// <summary>How long an activity attempt took, by <c>activity.name</c> and <c>outcome</c>.</summary>
    internal static Histogram<double> ActivityAttemptDuration { get; } = Meter.CreateHistogram<double>(
        "serverlessflow.activity.attempt.duration", "s", "Duration of activity attempts.");

    /// <summary>Storage requests, by <c>storage.kind</c> ("{METHOD} {table or queue}", as the request counter names them).</summary>
    internal static Counter<long> StorageRequests { get; } = Meter.CreateCounter<long>(
        "serverlessflow.storage.requests", "{request}", "Storage requests (each HTTP attempt, retries included).");

    /// <summary>Commits that lost the instance row's fence to another writer and were retried from fresh state.</summary>
    internal static Counter<long> CommitConflicts { get; } = Meter.CreateCounter<long>(
        "serverlessflow.commit.conflicts", "{commit}", "Workflow-task commits that lost the fence and were retried.");

    /// <summary>Task messages moved to the dead-letter store, by <c>queue</c>.</summary>
    internal static Counter<long> DeadLetters { get; } = Meter.CreateCounter<long>(
        "serverlessflow.dead_letters", "{message}", "Task messages dead-lettered.");

    /// <summary>Instance-cache lookups by a workflow task, by <c>cache.result</c> ("hit" or "miss").</summary>
    internal static Counter<long> CacheLookups { get; } = Meter.CreateCounter<long>(
        "serverlessflow.cache.lookups", "{lookup}", "Workflow instance cache lookups, hit or miss.");

    /// <summary>
    /// How long a task message waited in its queue after it was due (sent, plus its delay) until a worker began handling it, by
    /// <c>queue</c> and <c>task.kind</c>: first deliveries only (a redelivery's wait includes the failed handling before it).
    /// Measured across machines' clocks, so skew shows in it; a negative wait counts as zero.
    /// </summary>
    internal static Histogram<double> QueueLag { get; } = Meter.CreateHistogram<double>(
        "serverlessflow.task.queue_lag", "s", "Time task messages waited in their queue after they were due, until handling began.");

    /// <summary>Records the queue lag of a first delivery of <paramref name="task"/> from <paramref name="queue"/>, handled at <paramref name="now"/>.</summary>
    internal static void RecordQueueLag(string queue, TaskMessage task, long dequeueCount, DateTimeOffset now)
    {
        if (dequeueCount != 1 || task.DueAt is not { } due || !QueueLag.Enabled)
        {
            return;
        }

        QueueLag.Record(
            Math.Max(0, (now - due).TotalSeconds),
            new KeyValuePair<string, object?>(TagNames.Queue, queue),
            new KeyValuePair<string, object?>(TagNames.TaskKind, task.Kind.ToString()));
    }

    /// <summary>Counts a message moved to the dead-letter store from <paramref name="queue"/>.</summary>
    internal static void CountDeadLetter(string queue) => DeadLetters.Add(1, new KeyValuePair<string, object?>(TagNames.Queue, queue));

    /// <summary>
    /// The run's root context from its recorded <c>traceparent</c>; default (no parent) when none was recorded or it is malformed.
    /// </summary>
    internal static ActivityContext RootContext(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out var context) ? context : default;

    /// <summary>The W3C traceparent to record for a new run: the start span's, else the ambient one, else none.</summary>
    internal static string? TraceParentOf(Activity? span) =>
        (span ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>A span of the run whose root context is <paramref name="traceParent"/>: parented to it, never to what is ambient.</summary>
    internal static Activity? StartRunSpan(string name, ActivityKind kind, string? traceParent, string workflowId, string runId)
    {
        var span = Source.StartActivity(name, kind, RootContext(traceParent));
        span?.SetTag(TagNames.WorkflowId, workflowId);
        span?.SetTag(TagNames.RunId, runId);
        return span;
    }

    /// <summary>
    /// A span of a client call about a run (signal, query, update, cancel…): a child of the caller's ambient span,
    /// linked to the run's root by <see cref="LinkToRun"/> once the run is known.
    /// </summary>
    internal static Activity? StartClientSpan(string operation, string workflowId, string? messageName = null)
    {
        var span = Source.StartActivity(messageName is null ? operation : $"{operation} {messageName}", ActivityKind.Client);
        span?.SetTag(TagNames.WorkflowId, workflowId);
        span?.SetTag(TagNames.MessageName, messageName);
        return span;
    }

    /// <summary>Links <paramref name="span"/> to the run's root context, so the call shows beside the run's trace.</summary>
    internal static void LinkToRun(Activity? span, string runId, string? traceParent)
    {
        span?.SetTag(TagNames.RunId, runId);
        if (span is not null && RootContext(traceParent) is { TraceId: var traceId } root && traceId != default)
        {
            span.AddLink(new ActivityLink(root));
        }
    }

    /// <summary>Marks <paramref name="span"/> as failed with <paramref name="error"/>'s type and message.</summary>
    internal static void RecordFailure(Activity? span, Exception error)
    {
        span?.SetStatus(ActivityStatusCode.Error, error.Message);
        span?.AddException(error);
    }
}
