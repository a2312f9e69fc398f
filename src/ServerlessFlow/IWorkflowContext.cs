using System.Text.Json;

namespace ServerlessFlow;

/// <summary>The engine side of <see cref="Workflow"/>: implemented by the replay executor.</summary>
internal interface IWorkflowContext
{
    WorkflowInfo Info { get; }

    DateTime UtcNow { get; }

    Random Random { get; }

    bool IsReplaying { get; }

    Microsoft.Extensions.Logging.ILogger Logger { get; }

    Task<JsonElement?> ExecuteActivityAsync(string activityName, JsonElement input, ActivityOptions options);

    /// <summary>
    /// Runs a local activity inside this workflow task from <paramref name="attempt"/> on; throws <see cref="LocalActivityBackoffException"/>
    /// when the next attempt waits for a durable timer. <paramref name="firstCalledAt"/> (workflow time) starts the schedule-to-close budget.
    /// </summary>
    Task<JsonElement?> ExecuteLocalActivityAsync(string activityName, JsonElement input, LocalActivityOptions options, int attempt, DateTime firstCalledAt);

    Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken);

    Task<bool> WaitConditionAsync(Func<bool> condition, TimeSpan? timeout);

    bool Patched(string patchId, bool deprecated);

    void UpsertSearchAttributes(IReadOnlyDictionary<string, object?> changes);

    IReadOnlyDictionary<string, JsonElement> SearchAttributes { get; }

    bool IsCancellationRequested { get; }

    /// <summary>
    /// Schedules a child; completes once the child's first run is committed (or fails if it cannot start). Without
    /// <paramref name="reportStart"/> the start completes with the child's outcome: for callers that await nothing in between.
    /// </summary>
    Task<StartedChild> StartChildWorkflowAsync(string workflowType, JsonElement? input, ChildWorkflowOptions options, bool reportStart);

    /// <summary>Records a signal to another workflow; completes when it is delivered.</summary>
    Task SignalExternalWorkflowAsync(string workflowId, string? runId, string signalName, JsonElement? input);

    /// <summary>Records a cancellation request to another workflow; completes when it is delivered.</summary>
    Task CancelExternalWorkflowAsync(string workflowId, string? runId);

    bool ContinueAsNewSuggested { get; }
}

/// <summary>A child that has started: its ID, its first run, and its eventual result.</summary>
internal sealed record StartedChild(string Id, string FirstExecutionRunId, Task<JsonElement?> Result);

/// <summary>Lets <see cref="Workflow"/> find the context of the workflow whose code is running on this scheduler.</summary>
internal interface IWorkflowContextProvider
{
    IWorkflowContext Context { get; }

    /// <summary>Workflow code called a workflow API off its scheduler (after ConfigureAwait(false), say): fail the workflow task.</summary>
    void ReportEscape(string message);
}

/// <summary>
/// The workflow whose executor is running on this thread, if any. Code that continues off the workflow scheduler
/// (ConfigureAwait(false) resumes it inline, on the executor's thread) no longer sees the scheduler as
/// <see cref="TaskScheduler.Current"/>; this is how <see cref="Workflow"/> still finds whom to tell.
/// </summary>
internal static class WorkflowThread
{
    [ThreadStatic]
    private static IWorkflowContextProvider? executing;

    public static IWorkflowContextProvider? Executing
    {
        get => executing;
        set => executing = value;
    }
}
