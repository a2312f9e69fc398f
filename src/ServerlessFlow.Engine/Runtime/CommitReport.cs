using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// What a commit made in this process stored, as a waiter learns of it (<see cref="CommitWatch"/>): the instance record, and the
/// run's events the committer had in hand — the events it wrote and, when it knew it, the run's <see cref="WorkflowStarted"/> —
/// so that a describe of a run closed here needs no read of them.
/// </summary>
internal sealed record CommitReport(InstanceRecord Instance, WorkflowStarted? Started, IReadOnlyList<HistoryEvent> NewEvents)
{
    /// <summary>The event <paramref name="eventId"/> of the committed run, if the committer had it in hand.</summary>
    public HistoryEvent? Event(long eventId) =>
        Started?.EventId == eventId ? Started : NewEvents.FirstOrDefault(e => e.EventId == eventId);
}
