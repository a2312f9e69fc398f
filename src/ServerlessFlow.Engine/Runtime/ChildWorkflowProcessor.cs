using System.Diagnostics;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Diagnostics;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The messages between parents and children. Each is idempotent: it re-reads both sides and acts only
/// if the change has not happened yet. Starting a child commits the child's start (with a link to the
/// parent); a child's close is written to the parent's inbox; a closed parent's policy terminates or
/// cancels children that are still open.
/// </summary>
internal sealed class ChildWorkflowProcessor(IWorkflowStore store, OutboxSender outbox, IWorkflowClient client, TimeProvider time)
{
    /// <summary>Starts the child a parent's <c>ChildWorkflowScheduled</c> event names, once, and reports the start to the parent.</summary>
    public async Task<TaskOutcome> StartChildAsync(StartChildMessage message, CancellationToken cancellationToken)
    {
        var (scheduledEventId, parentRunId) = (message.ScheduledEventId, message.RunId);
        var parent = await store.ReadInstanceAsync(message.WorkflowId, cancellationToken);
        if (parent is not { Status: WorkflowStatus.Running } || parent.RunId != parentRunId)
        {
            // The parent run closed: nothing to start. But an earlier delivery may have started the child and died before its
            // look at the parent below, after the parent's own close message had found no child: the policy must still reach it.
            return await store.ReadEventAsync(message.WorkflowId, parentRunId, scheduledEventId, cancellationToken) is ChildWorkflowScheduled earlier
                ? await ApplyPolicyOfClosedParentAsync(earlier, parentRunId, scheduledEventId, cancellationToken)
                : TaskOutcome.Completed;
        }

        if (await store.ReadEventAsync(parent.WorkflowId, parent.RunId, scheduledEventId, cancellationToken) is not ChildWorkflowScheduled scheduled)
        {
            return TaskOutcome.DeadLetter($"Event {scheduledEventId} of workflow '{parent.WorkflowId}' is not a ChildWorkflowScheduled event.");
        }

        var link = new ParentLink(parent.WorkflowId, parent.RunId, scheduledEventId, parent.TaskQueue);
        var existing = await store.ReadInstanceAsync(scheduled.ChildWorkflowId, cancellationToken);
        if (existing?.Parent == link)
        {
            // Already started by an earlier delivery, which may have stopped short of its report, and of sending the child's first
            // wake-up: a run whose history holds only its start with its outbox unsent gets it now, rather than wait for the sweep.
            await ReportStartedAsync(link, scheduled, cancellationToken);
            if (existing is { Status: WorkflowStatus.Running, LastEventId: 1, OutboxPending: true })
            {
                await outbox.SendAsync(existing, cancellationToken);
            }

            return TaskOutcome.Completed;
        }

        if (existing is { Status: WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew })
        {
            var failure = new FailureInfo
            {
                Type = Execution.ChildAwaiters.StartFailureType,
                Message = $"Child workflow ID '{scheduled.ChildWorkflowId}' is already in use by an open run ({existing.RunId}); give the child another ID.",
                NonRetryable = true,
            };
            await ReportAsync(link, new ChildWorkflowFailed { ScheduledEventId = scheduledEventId, Status = WorkflowStatus.Failed, Failure = failure }, cancellationToken);
            return TaskOutcome.Completed;
        }

        if (existing is { OutboxPending: true } && await outbox.SendAsync(existing, cancellationToken))
        {
            return TaskOutcome.RetryAfter(TimeSpan.Zero); // the closed run's last messages went out before its row is replaced
        }

        // The child's run is part of the parent's trace: its root is this span, a child of the parent's root.
        using var span = ServerlessFlowTelemetry.StartRunSpan(
            $"StartChildWorkflow {scheduled.WorkflowType}", ActivityKind.Producer, parent.TraceParent, parent.WorkflowId, parent.RunId);
        span?.SetTag(TagNames.WorkflowType, scheduled.WorkflowType);
        var metadata = new RunMetadata(scheduled.Memo, scheduled.SearchAttributes ?? new Dictionary<string, System.Text.Json.JsonElement>(), ScheduledBy: null);
        var commit = StartCommit.Build(
            scheduled.ChildWorkflowId, Execution.ChildAwaiters.FirstRunId(parent.RunId, scheduledEventId), scheduled.WorkflowType, scheduled.TaskQueue, scheduled.Input, time.GetUtcNow(), existing, link, metadata,
            span is { IdFormat: ActivityIdFormat.W3C } ? span.Id : parent.TraceParent);
        if (await store.CommitAsync(commit, cancellationToken) is not { } committed)
        {
            return TaskOutcome.RetryAfter(TimeSpan.Zero); // Lost a race for the child's ID: look again.
        }

        ServerlessFlowTelemetry.WorkflowStarts.Add(1, new KeyValuePair<string, object?>(TagNames.WorkflowType, scheduled.WorkflowType));

        // Reported before the child's first task is sent, so the report reaches the parent ahead of the child's outcome.
        await ReportStartedAsync(link, scheduled, cancellationToken);
        await outbox.SendAsync(committed, cancellationToken);

        // The parent may have closed while this child was being started; its ParentClosed message then found no
        // child to act on. Look again now that the child exists, and apply the policy here.
        var parentNow = await store.ReadInstanceAsync(parent.WorkflowId, cancellationToken);
        return parentNow is null || parentNow.RunId != parent.RunId || parentNow.Status != WorkflowStatus.Running
            ? await ApplyPolicyOfClosedParentAsync(scheduled, parent.RunId, scheduledEventId, cancellationToken)
            : TaskOutcome.Completed;
    }

    /// <summary>
    /// Applies the policy of a parent run that has closed to the child it scheduled at <paramref name="scheduledEventId"/>, if that
    /// child was started (a child that never started is left alone). Not done yet (the child moved between runs): the start message
    /// becomes the parent-close message, which is retried until it is.
    /// </summary>
    private async Task<TaskOutcome> ApplyPolicyOfClosedParentAsync(ChildWorkflowScheduled scheduled, string parentRunId, long scheduledEventId, CancellationToken cancellationToken)
    {
        if (scheduled.ParentClosePolicy == ParentClosePolicy.Abandon)
        {
            return TaskOutcome.Completed;
        }

        var parentClosed = new ParentClosedMessage
        {
            WorkflowId = scheduled.ChildWorkflowId, ParentRunId = parentRunId, ScheduledEventId = scheduledEventId, Policy = scheduled.ParentClosePolicy,
        };
        return await ApplyParentClosePolicyAsync(parentClosed, cancellationToken) is TaskOutcome.RetryOutcome retry
            ? TaskOutcome.RetryAs(retry.Replacement ?? parentClosed, retry.Delay)
            : TaskOutcome.Completed;
    }

    /// <summary>Writes how a child's run ended to its parent's inbox and wakes the parent.</summary>
    public async Task<TaskOutcome> ReportCloseAsync(ChildClosedMessage message, CancellationToken cancellationToken)
    {
        if (message is not { Parent: { } parent, ClosingEventId: { } closingEventId })
        {
            return await ReportCurrentRunCloseAsync(message, cancellationToken);
        }

        var runId = message.RunId;

        // The closed run's history stays when its ID is reused, so its closing event says how it ended whatever run is current now.
        var closing = await store.ReadEventAsync(message.WorkflowId, runId, closingEventId, cancellationToken);
        if (RunOutcome.StatusOf(closing) is not { } status)
        {
            return TaskOutcome.DeadLetter($"Event {closingEventId} of run '{runId}' of child workflow '{message.WorkflowId}' is not a closing event: its parent '{parent.WorkflowId}' cannot be told how it ended.");
        }

        await ReportAsync(parent, Outcome(parent, status, closing), cancellationToken);
        return TaskOutcome.Completed;
    }

    /// <summary>A child-closed message from an earlier version names only the child's run: it is reported while that run still holds the ID.</summary>
    private async Task<TaskOutcome> ReportCurrentRunCloseAsync(ChildClosedMessage message, CancellationToken cancellationToken)
    {
        var child = await store.ReadInstanceAsync(message.WorkflowId, cancellationToken);
        if (child is not { Parent: { } parent } || child.RunId != message.RunId || child.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew)
        {
            return TaskOutcome.Completed;
        }

        var closing = await store.ReadEventAsync(child.WorkflowId, child.RunId, child.LastEventId, cancellationToken);
        await ReportAsync(parent, Outcome(parent, child.Status, closing), cancellationToken);
        return TaskOutcome.Completed;
    }

    private static HistoryEvent Outcome(ParentLink parent, WorkflowStatus status, HistoryEvent? closing) => closing is WorkflowCompleted completed
        ? new ChildWorkflowCompleted { ScheduledEventId = parent.ScheduledEventId, Result = completed.Result }
        : new ChildWorkflowFailed
        {
            ScheduledEventId = parent.ScheduledEventId, Status = status,
            Failure = RunOutcome.FailureOf(closing) ?? new FailureInfo { Type = status.ToString(), Message = $"The child ended as {status}." },
        };

    /// <summary>Applies a closed parent's policy to its child: terminate, or request cancellation (abandon does nothing).</summary>
    public async Task<TaskOutcome> ApplyParentClosePolicyAsync(ParentClosedMessage message, CancellationToken cancellationToken)
    {
        // The link is carried from run to run of a child that continues as new: the policy reaches whichever run is current.
        var child = await store.ReadInstanceAsync(message.WorkflowId, cancellationToken);
        if (!IsChildOf(child, message) || message.Policy == ParentClosePolicy.Abandon)
        {
            return TaskOutcome.Completed;
        }

        if (child!.Status == WorkflowStatus.ContinuedAsNew)
        {
            return Worker.Redelivery.WaitForChildNextRun(message); // Between two runs: the next one is about to start, and the policy applies to it.
        }

        if (child.Status != WorkflowStatus.Running)
        {
            return TaskOutcome.Completed;
        }

        var reason = $"Parent workflow '{child.Parent!.WorkflowId}' closed (parent close policy {message.Policy}).";
        if (message.Policy != ParentClosePolicy.RequestCancel)
        {
            // Fenced by the run's instance row: false when the run closed or continued as new meanwhile; look again.
            return await client.TerminateWorkflowAsync(child.WorkflowId, reason, cancellationToken) ? TaskOutcome.Completed : Worker.Redelivery.WaitForChildNextRun(message);
        }

        // The request is written for the run read by the client. If that run continued as new before it could see the request,
        // the request stays behind with it: look again, and ask the run that is current then.
        var requested = await client.CancelWorkflowAsync(child.WorkflowId, reason, cancellationToken);
        var after = await store.ReadInstanceAsync(child.WorkflowId, cancellationToken);
        return !requested || (IsChildOf(after, message) && (after!.Status == WorkflowStatus.ContinuedAsNew || after.RunId != child.RunId))
            ? Worker.Redelivery.WaitForChildNextRun(message)
            : TaskOutcome.Completed;
    }

    /// <summary>Tells the parent its child runs (its handle completes); keyed apart from the outcome report, which may follow while this is unconsumed.</summary>
    private Task ReportStartedAsync(ParentLink parent, ChildWorkflowScheduled scheduled, CancellationToken cancellationToken) => scheduled.ReportsStart
        ? ReportAsync(
            parent, new ChildWorkflowStarted { ScheduledEventId = parent.ScheduledEventId, RunId = Execution.ChildAwaiters.FirstRunId(parent.RunId, parent.ScheduledEventId) },
            cancellationToken, keyPrefix: "ks")
        : Task.CompletedTask;

    /// <summary>True when <paramref name="child"/> (any run of it) was started by the parent run and event that <paramref name="message"/> names, and is open.</summary>
    private static bool IsChildOf(InstanceRecord? child, ParentClosedMessage message) =>
        child is { Status: WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew, Parent: { } parent }
        && parent.RunId == message.ParentRunId && parent.ScheduledEventId == message.ScheduledEventId;

    private async Task ReportAsync(ParentLink parent, HistoryEvent outcome, CancellationToken cancellationToken, string keyPrefix = "k")
    {
        var item = new InboxItem { Key = $"{keyPrefix}-{parent.RunId}-{parent.ScheduledEventId}", RunId = parent.RunId, Event = outcome, CreatedAt = time.GetUtcNow() };
        await store.AddInboxAsync(parent.WorkflowId, item, cancellationToken);
        await outbox.SendOneAsync(QueueNames.Workflow(parent.TaskQueue), new WorkflowTaskMessage { WorkflowId = parent.WorkflowId, RunId = parent.RunId }, null, cancellationToken);
    }
}
