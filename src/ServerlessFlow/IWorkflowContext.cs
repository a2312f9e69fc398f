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

    Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken);

    Task<bool> WaitConditionAsync(Func<bool> condition, TimeSpan? timeout);

    bool Patched(string patchId, bool deprecated);

    void UpsertSearchAttributes(IReadOnlyDictionary<string, object?> changes);

    IReadOnlyDictionary<string, JsonElement> SearchAttributes { get; }

    bool IsCancellationRequested { get; }

    Task<JsonElement?> ExecuteChildWorkflowAsync(string workflowType, JsonElement? input, ChildWorkflowOptions options);

    bool ContinueAsNewSuggested { get; }
}

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
