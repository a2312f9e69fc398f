using System.Collections.Concurrent;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Runs whose close this process committed. A closed run stays closed (a new run has a new run ID), so a message about one
/// (the activity check that comes due after the run ended) is known to have nothing to do without reading the instance row.
/// Bounded; a run forgotten (or closed by another process) costs only that read.
/// </summary>
internal sealed class ClosedRuns
{
    /// <summary>Runs remembered at most; past it the memory starts over.</summary>
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string WorkflowId, string RunId), byte> closed = new();

    /// <summary>Notes that this process committed the close of <paramref name="runId"/>.</summary>
    public void Add(string workflowId, string runId)
    {
        if (closed.Count >= Capacity)
        {
            closed.Clear();
        }

        closed[(workflowId, runId)] = 0;
    }

    /// <summary>True (once: the entry is dropped) when this process committed the close of <paramref name="runId"/>.</summary>
    public bool TakeClosed(string workflowId, string? runId) => runId is not null && closed.TryRemove((workflowId, runId), out _);
}
