using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Execution;
using ServerlessFlow.Engine.Registry;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Loads the run a workflow task works on: the state to run a round on (what the task committed last, or a load), and an
/// execution that has applied its whole committed history (the cached one brought forward, or a fresh replay).
/// </summary>
/// <remarks>
/// Its logger is the workflow task's: workflow code logs through it (<see cref="WorkflowExecution.LogTo"/>), under the category
/// operators filter on.
/// </remarks>
internal sealed class WorkflowRunLoader(IWorkflowStore store, WorkflowRegistry registry, WorkInProgress inProgress, ILogger<WorkflowTaskProcessor> logger)
{
    /// <summary>The state to run a round on: what this task committed last if nothing can have changed it since, else a load.</summary>
    public async Task<WorkflowSnapshot?> SnapshotAsync(WorkflowTaskSession session, WorkflowExecution? cached, CancellationToken cancellationToken)
    {
        if (session.Loaded is { } loaded)
        {
            session.Loaded = null;
            return loaded;
        }

        if (session.Fresh is { } fresh && !(session.Owns && inProgress.TakeWoken(session.WorkflowId)))
        {
            return new WorkflowSnapshot { Instance = fresh, Inbox = [], History = [], HistoryAfter = fresh.LastEventId };
        }

        session.Fresh = null;
        return await store.LoadAsync(session.WorkflowId, cached?.Info.RunId, cached?.LastEventId ?? 0, cancellationToken);
    }

    /// <summary>Returns an execution that has applied the whole committed history: the cached one, brought forward, or a fresh replay.</summary>
    public async Task<WorkflowExecution> PrepareAsync(WorkflowExecution? cached, WorkflowSnapshot snapshot, CancellationToken cancellationToken)
    {
        var instance = snapshot.Instance;
        if (cached is not null && cached.Info.RunId == instance.RunId && snapshot.HistoryAfter == cached.LastEventId)
        {
            if (cached.LastEventId != instance.LastEventId)
            {
                // Another worker advanced this workflow: replay just the events it added.
                Log.StaleCache(logger, instance.WorkflowId, cached.LastEventId, instance.LastEventId);
                cached.Replay(snapshot.History);
            }

            return cached;
        }

        var history = snapshot.HistoryAfter == 0
            ? snapshot.History
            : await store.ReadHistoryAsync(instance.WorkflowId, instance.RunId, 0, cancellationToken);
        var execution = new WorkflowExecution(registry.GetWorkflow(instance.WorkflowType), registry.SearchAttributes, instance.WorkflowId, instance.RunId, instance.TaskQueue)
        {
            LogTo = logger,
        };
        execution.Replay(history);
        return execution;
    }
}
