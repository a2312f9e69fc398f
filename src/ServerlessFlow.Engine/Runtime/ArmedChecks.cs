using System.Collections.Concurrent;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The activity check this process last armed for each workflow, with the handle its send returned, so that the process that
/// commits the run's close can delete the check instead of leaving it to be received, read about and deleted later. Memory
/// only: a check forgotten (a restart, or a close committed by another process) is delivered and handled as usual.
/// Bounded; past its capacity the memory starts over.
/// </summary>
internal sealed class ArmedChecks
{
    /// <summary>Workflows remembered at most.</summary>
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (string RunId, ReceivedMessage Sent)> armed = new(StringComparer.Ordinal);

    /// <summary>Notes the check just sent for <paramref name="runId"/>; it replaces the one remembered before.</summary>
    public void Add(string workflowId, string runId, ReceivedMessage sent)
    {
        if (armed.Count >= Capacity)
        {
            armed.Clear();
        }

        armed[workflowId] = (runId, sent);
    }

    /// <summary>The check armed for <paramref name="runId"/>, forgotten as it is taken; null when none is remembered.</summary>
    public ReceivedMessage? Take(string workflowId, string runId) =>
        armed.TryRemove(workflowId, out var entry) ? entry.RunId == runId ? entry.Sent : null : null;
}
