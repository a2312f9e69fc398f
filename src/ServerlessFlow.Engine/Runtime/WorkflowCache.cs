using System.Collections.Concurrent;
using ServerlessFlow.Engine.Execution;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Running workflow executions kept in memory between tasks, so a step costs the same at event 10 and
/// at event 5,000. An entry is taken out while a task uses it (one user at a time) and put back after
/// a successful commit; an entry that no longer matches storage is replayed forward or discarded.
/// </summary>
internal sealed class WorkflowCache
{
    /// <summary>Entries kept at most; beyond it the cache drops arbitrary entries (they are rebuilt by replay).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, WorkflowExecution> entries = new(StringComparer.Ordinal);

    public WorkflowExecution? Take(string workflowId)
    {
        var found = entries.TryRemove(workflowId, out var execution);
        Diagnostics.ServerlessFlowTelemetry.CacheLookups.Add(1, new KeyValuePair<string, object?>(Diagnostics.TagNames.CacheResult, found ? "hit" : "miss"));
        return execution;
    }

    public void Put(string workflowId, WorkflowExecution execution)
    {
        if (entries.Count >= Capacity)
        {
            foreach (var key in entries.Keys.Take(Capacity / 10))
            {
                entries.TryRemove(key, out _);
            }
        }

        entries[workflowId] = execution;
    }
}
