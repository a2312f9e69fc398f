using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// What a workflow task does about a run's close: fences a closing commit by the inbox, leaves its index write to the run's
/// activity check where it can, sends what the close left to send, starts the run a continue-as-new names, and consumes inbox
/// rows that reach a closed run.
/// </summary>
internal sealed class RunCloser(IWorkflowStore store, OutboxSender outbox, ClosedRuns closedRuns, ArmedChecks armedChecks, TimeProvider time)
{
    /// <summary>
    /// How long after a close the run's armed activity check must still be due for the close to leave its index write to it:
    /// the check must not be delivered before the commit lands (its own latency, SDK retries, clock skew between the process
    /// that armed the check and this one).
    /// </summary>
    private static readonly TimeSpan MinCheckLead = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A commit that closes the run (complete, fail, cancel, continue-as-new, a termination at the history limits) is fenced by
    /// the inbox: a signal, update or cancel request inserted since this task loaded makes it fail like a lost race, and the
    /// next round loads and hands the message to the code (Temporal refuses such a close as an unhandled command). Otherwise
    /// the message would be deleted with the closed run's inbox after its sender was told it was accepted. Commits that keep
    /// the run open are not fenced: a storm of signals must never keep a workflow from making progress.
    /// </summary>
    public static WorkflowCommit FencedIfClosing(WorkflowCommit commit) =>
        commit.Instance.Status == WorkflowStatus.Running ? commit : commit with { FenceInbox = true };

    /// <summary>
    /// A close that sends nothing and whose run has an activity check due well after it (armed for its eager activities) leaves
    /// its index write to that check instead of to the outbox flag: written right after the commit as usual, but with no flag to
    /// clear afterwards (a merge saved). If this process dies before the write, the check finds the run closed with no flag and
    /// writes the entry (<see cref="Activities.ActivityCheckProcessor"/>). A continue-as-new keeps the flag: its next commit must
    /// happen even if this process dies, and the check does not make it.
    /// </summary>
    public static WorkflowCommit IndexLeftToCheck(WorkflowCommit commit, DateTimeOffset now) =>
        commit.Instance is { Status: not (WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew), Outbox.Count: 0, ActivityCheckAt: { } checkAt } && checkAt > now + MinCheckLead
            ? commit with { Instance = commit.Instance with { OutboxPending = false } }
            : commit;

    /// <summary>
    /// After a close: its outbox and index entry go out (under the flag, or for a close that left it to the run's check, the entry
    /// alone); then the run's activity check this process armed, which has nothing left to do, is deleted before it comes due.
    /// A check kept (a write failed, or another process armed it) is delivered and handled as usual.
    /// </summary>
    public async Task FinishCloseAsync(InstanceRecord committed, CancellationToken cancellationToken)
    {
        var check = armedChecks.Take(committed.WorkflowId, committed.RunId);
        var written = committed.OutboxPending
            ? await outbox.SendAsync(committed, cancellationToken)
            : !committed.VisibilityChanged || await outbox.WriteIndexAsync(committed, cancellationToken);
        if (!written)
        {
            return;
        }

        if (check is null)
        {
            closedRuns.Add(committed.WorkflowId, committed.RunId);
        }
        else
        {
            await outbox.WithdrawAsync(check, committed.WorkflowId, cancellationToken);
        }
    }

    /// <summary>
    /// The second half of continue-as-new, made by the worker that continues the chain: <see cref="ContinuedRunAsync"/>, committed
    /// without its wake-up, since this worker runs the new run right away (the caller loops). False when another worker (or a client,
    /// see <see cref="Client.WorkflowClient"/>) did it first.
    /// </summary>
    public async Task<bool> StartContinuedRunAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        var commit = await ContinuedRunAsync(instance, cancellationToken);
        // The next round writes the new run's index entry.
        return await store.CommitAsync(commit with { Instance = commit.Instance with { Outbox = [] } }, cancellationToken) is not null;
    }

    /// <summary>
    /// The commit that starts the run a continue-as-new named: the closed run's last event names the new run and its input, and this
    /// commit switches the instance to it with a fresh history, fenced by <paramref name="instance"/>'s ETag (so whoever makes it
    /// first starts the run, once). Its outbox holds the new run's wake-up.
    /// </summary>
    public async Task<WorkflowCommit> ContinuedRunAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        var closing = await store.ReadEventAsync(instance.WorkflowId, instance.RunId, instance.LastEventId, cancellationToken) as WorkflowContinuedAsNew
            ?? throw new InvalidOperationException($"Workflow '{instance.WorkflowId}' is ContinuedAsNew but its last event is not WorkflowContinuedAsNew.");
        // Memo, search attributes and the schedule link carry over to the new run, as in Temporal.
        var memo = (await store.ReadEventAsync(instance.WorkflowId, instance.RunId, 1, cancellationToken) as WorkflowStarted)?.Memo;
        var commit = StartCommit.Build(
            instance.WorkflowId, closing.NewRunId, instance.WorkflowType, instance.TaskQueue, closing.Input, time.GetUtcNow(), instance, instance.Parent,
            new RunMetadata(memo, instance.SearchAttributes, instance.ScheduledBy), instance.TraceParent);

        // It knows the signals the chain applied, so that a retry of one of them is not applied again.
        var started = (WorkflowStarted)commit.NewEvents[0] with { PriorSignalRequestIds = closing.SignalRequestIds };
        return commit with { NewEvents = [started] };
    }

    /// <summary>
    /// Inbox rows that reach a closed run (a late signal, a terminated child's report) are consumed by a
    /// fenced commit without events, so they neither pile up nor keep the recovery sweep busy.
    /// True when another round is needed: rows are left, or the commit lost a race.
    /// </summary>
    public async Task<bool> DiscardInboxOfClosedRunAsync(WorkflowSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Inbox.Count == 0 || snapshot.Instance.Status == WorkflowStatus.ContinuedAsNew)
        {
            return false;
        }

        var keys = snapshot.Inbox.Take(WorkflowTaskProcessor.MaxInboxPerTask).Select(i => i.Key).ToList();
        var commit = InstanceTransition.Build(snapshot.Instance, [], keys, time.GetUtcNow());
        return await store.CommitAsync(commit, cancellationToken) is null || snapshot.Inbox.Count > keys.Count;
    }
}
