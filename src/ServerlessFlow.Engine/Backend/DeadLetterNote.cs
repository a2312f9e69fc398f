using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// A dead-lettered message an open run waits on (written by the dead-letter notice, only while the run still waits on the work the
/// message names): kept on the instance row until it is dealt with, so describe shows it however many unrelated tasks commit meanwhile.
/// A note about activities goes once none of its range is pending (a batch's note names every activity of its range: it stays while
/// any of them waits); a note about other scheduled work (a child's start or outcome, a request to another workflow) goes once the
/// history records an outcome of that work — the message was requeued, or the work was settled some other way (a timeout, a
/// cancellation); a note about a wake-up goes with the next commit, which shows the run moving again. All go when the run closes.
/// </summary>
/// <param name="Note">What was dead-lettered, why, and the way out.</param>
/// <param name="At">When it was dead-lettered.</param>
/// <param name="FirstEventId">The first scheduled event the message was about; null for a wake-up.</param>
/// <param name="LastEventId">The last scheduled event the message was about (a batch covers a range); null for a wake-up.</param>
public sealed record DeadLetterNote(string Note, DateTimeOffset At, long? FirstEventId, long? LastEventId)
{
    /// <summary>Notes kept on one run at most (the oldest go first): the instance row holds them, and one row is small.</summary>
    public const int MaxPerRun = 16;

    /// <summary>True when <paramref name="eventId"/> is one of the scheduled events this note is about.</summary>
    public bool Covers(long eventId) => (FirstEventId, LastEventId) is ({ } first, { } last) && eventId >= first && eventId <= last;

    /// <summary>
    /// True when the note stays on the instance through a commit that recorded <paramref name="newEvents"/>, with the run's pending
    /// activities <paramref name="pendingBefore"/> before the commit and <paramref name="pendingAfter"/> after it: a note about
    /// activities (its range held pending ones) while any of them is still pending, any other note about scheduled work until an
    /// event settles it (<see cref="SettledBy"/>), and a note about a wake-up not at all.
    /// </summary>
    public bool KeptThrough(IReadOnlyList<PendingActivity> pendingBefore, IReadOnlyList<PendingActivity> pendingAfter, IReadOnlyList<HistoryEvent> newEvents) =>
        FirstEventId is not null && (pendingBefore.Any(a => Covers(a.ScheduledEventId))
            ? pendingAfter.Any(a => Covers(a.ScheduledEventId))
            : !newEvents.Any(SettledBy));

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
