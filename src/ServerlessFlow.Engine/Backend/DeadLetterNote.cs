using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// A dead-lettered message an open run waits on (written by the dead-letter notice): kept on the instance row until it is dealt with,
/// so describe shows it however many unrelated tasks commit meanwhile. A note about scheduled work (an activity or a batch of them, a
/// child's start, a request to another workflow) goes once the history records an outcome of that work — the message was requeued, or
/// the work was settled some other way (a timeout, a cancellation); a note about a wake-up goes with the next commit, which shows the
/// run moving again. All go when the run closes.
/// </summary>
/// <param name="Note">What was dead-lettered, why, and the way out.</param>
/// <param name="At">When it was dead-lettered.</param>
/// <param name="FirstEventId">The first scheduled event the message was about; null for a wake-up.</param>
/// <param name="LastEventId">The last scheduled event the message was about (a batch covers a range); null for a wake-up.</param>
public sealed record DeadLetterNote(string Note, DateTimeOffset At, long? FirstEventId, long? LastEventId)
{
    /// <summary>Notes kept on one run at most (the oldest go first): the instance row holds them, and one row is small.</summary>
    public const int MaxPerRun = 16;

    /// <summary>True when <paramref name="recorded"/> settles work this note is about.</summary>
    public bool SettledBy(HistoryEvent recorded) => (FirstEventId, LastEventId) is ({ } first, { } last) && recorded switch
    {
        ActivityCompleted e => e.ScheduledEventId >= first && e.ScheduledEventId <= last,
        ActivityFailed e => e.ScheduledEventId >= first && e.ScheduledEventId <= last,
        ActivityCanceled e => e.ScheduledEventId >= first && e.ScheduledEventId <= last,
        ChildWorkflowStarted e => e.ScheduledEventId >= first && e.ScheduledEventId <= last,
        ChildWorkflowCompleted e => e.ScheduledEventId >= first && e.ScheduledEventId <= last,
        ChildWorkflowFailed e => e.ScheduledEventId >= first && e.ScheduledEventId <= last,
        ExternalWorkflowRequestCompleted e => e.RequestedEventId >= first && e.RequestedEventId <= last,
        ExternalWorkflowRequestFailed e => e.RequestedEventId >= first && e.RequestedEventId <= last,
        _ => false,
    };
}
