using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// What one workflow task carries from round to round: the instance row it committed last (so the next step needs no
/// read while nobody else could have changed it), the activities it runs eagerly until their outcomes are committed, and
/// the timer it waits for in-process (<see cref="InProcessTimers"/>).
/// </summary>
internal sealed class WorkflowTaskSession(string workflowId, bool owns, DateTimeOffset eagerUntil)
{
    /// <summary>The workflow.</summary>
    public string WorkflowId { get; } = workflowId;

    /// <summary>True while this task owns the workflow in this process (it is not a timer wake-up running beside the owner).</summary>
    public bool Owns { get; set; } = owns;

    /// <summary>State to run the first round on without a load (the start this process just committed); null to load.</summary>
    public WorkflowSnapshot? Loaded { get; set; }

    /// <summary>Until when the task may start activities eagerly and wait for them.</summary>
    public DateTimeOffset EagerUntil { get; } = eagerUntil;

    /// <summary>
    /// The instance as this task last committed it, while nothing else is known to have changed it (no wake-up came, no outbox
    /// clear changed its ETag); null when the next round must load. A stale one costs a lost fence and a load, nothing more.
    /// </summary>
    public InstanceRecord? Fresh { get; set; }

    /// <summary>
    /// Set once a round would have closed the run on the first <see cref="WorkflowTaskProcessor.MaxInboxPerTask"/> inbox items while
    /// more waited: from then on every round hands the code the run's whole inbox (and deletes what one commit can), so no close
    /// discards messages its senders were told were accepted.
    /// </summary>
    public bool WholeInbox { get; set; }

    /// <summary>Eager attempts whose outcomes are not committed yet.</summary>
    public List<EagerAttempt> Running { get; } = [];

    /// <summary>
    /// When the run's earliest timer fires, if this task waits for it in-process (it is due within the eager budget and nothing
    /// else in this process would wake the workflow for it); null otherwise. Set by each round from the state it ended with.
    /// </summary>
    public DateTimeOffset? TimerAt { get; set; }

    /// <summary>The delayed wake-ups this task sent for the timers it waits for, to withdraw once they have fired.</summary>
    public List<(DateTimeOffset FireAt, ReceivedMessage Sent)> TimerMessages { get; } = [];

    /// <summary>True while the task has something to wait for in-process: an eager attempt, or a timer within the budget.</summary>
    public bool HasWork(DateTimeOffset now) => (Running.Count > 0 || TimerAt is not null) && now < EagerUntil;

    /// <summary>Waits until an eager attempt ends, the timer waited for fires, the workflow is woken, or the eager budget runs out.</summary>
    public async Task WaitAsync(Task woken, TimeProvider time, CancellationToken cancellationToken)
    {
        var until = TimerAt is { } timerAt && timerAt < EagerUntil ? timerAt : EagerUntil;
        var left = until - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = Running.Select(a => (Task)a.Outcome).Append(woken).Append(Task.Delay(left, time, stopWaiting.Token));
        await Task.WhenAny(waits);
        await stopWaiting.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
