using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// What one workflow task carries from round to round: the instance row it committed last (so the next step needs no
/// read while nobody else could have changed it) and the activities it runs eagerly, until their outcomes are committed.
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

    /// <summary>Waits until an eager attempt ends, the workflow is woken, or the eager budget runs out.</summary>
    public async Task WaitAsync(Task woken, TimeProvider time, CancellationToken cancellationToken)
    {
        var left = EagerUntil - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var budget = Task.Delay(left, time, stopWaiting.Token);
        await Task.WhenAny(Task.WhenAny(Running.Select(a => a.Outcome)), woken, budget);
        await stopWaiting.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
