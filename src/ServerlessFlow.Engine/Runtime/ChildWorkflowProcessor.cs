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
    public async Task<TaskOutcome> HandleAsync(TaskMessage message, CancellationToken cancellationToken) => message.Kind switch
    {
        TaskKind.StartChild => await StartChildAsync(message, cancellationToken),
        TaskKind.ChildClosed => await ReportCloseAsync(message, cancellationToken),
        _ => await ApplyParentClosePolicyAsync(message, cancellationToken),
    };

    private async Task<TaskOutcome> StartChildAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        var parent = await store.ReadInstanceAsync(message.WorkflowId, cancellationToken);
        if (parent is not { Status: WorkflowStatus.Running } || parent.RunId != message.RunId || message.ScheduledEventId is not { } scheduledEventId)
        {
            return TaskOutcome.Completed; // The parent run closed before the child started: nothing to start.
        }

        if (await store.ReadEventAsync(parent.WorkflowId, parent.RunId, scheduledEventId, cancellationToken) is not ChildWorkflowScheduled scheduled)
        {
            return TaskOutcome.DeadLetter($"Event {scheduledEventId} of workflow '{parent.WorkflowId}' is not a ChildWorkflowScheduled event.");
        }

        var link = new ParentLink(parent.WorkflowId, parent.RunId, scheduledEventId, parent.TaskQueue);
        var existing = await store.ReadInstanceAsync(scheduled.ChildWorkflowId, cancellationToken);
        if (existing?.Parent == link)
        {
            return TaskOutcome.Completed; // Already started by an earlier delivery.
        }

        if (existing is { Status: WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew })
        {
            var failure = new FailureInfo
            {
                Type = "WorkflowAlreadyStarted",
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
            scheduled.ChildWorkflowId, Guid.NewGuid().ToString("N"), scheduled.WorkflowType, scheduled.TaskQueue, scheduled.Input, time.GetUtcNow(), existing, link, metadata,
            span is { IdFormat: ActivityIdFormat.W3C } ? span.Id : parent.TraceParent);
        if (await store.CommitAsync(commit, cancellationToken) is not { } committed)
        {
            return TaskOutcome.RetryAfter(TimeSpan.Zero); // Lost a race for the child's ID: look again.
        }

        ServerlessFlowTelemetry.WorkflowStarts.Add(1, new KeyValuePair<string, object?>(TagNames.WorkflowType, scheduled.WorkflowType));
        await outbox.SendAsync(committed, cancellationToken);

        // The parent may have closed while this child was being started; its ParentClosed message then found no
        // child to act on. Look again now that the child exists, and apply the policy here.
        var parentNow = await store.ReadInstanceAsync(parent.WorkflowId, cancellationToken);
        if (parentNow is null || parentNow.RunId != parent.RunId || parentNow.Status != WorkflowStatus.Running)
        {
            await ApplyParentClosePolicyAsync(new TaskMessage
            {
                Kind = TaskKind.ParentClosed, WorkflowId = scheduled.ChildWorkflowId, RunId = parent.RunId, ScheduledEventId = scheduledEventId, Policy = scheduled.ParentClosePolicy,
            }, cancellationToken);
        }

        return TaskOutcome.Completed;
    }

    private async Task<TaskOutcome> ReportCloseAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        var child = await store.ReadInstanceAsync(message.WorkflowId, cancellationToken);
        if (child is not { Parent: { } parent } || child.RunId != message.RunId || child.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew)
        {
            return TaskOutcome.Completed;
        }

        var closing = await store.ReadEventAsync(child.WorkflowId, child.RunId, child.LastEventId, cancellationToken);
        HistoryEvent outcome = closing is WorkflowCompleted completed
            ? new ChildWorkflowCompleted { ScheduledEventId = parent.ScheduledEventId, Result = completed.Result }
            : new ChildWorkflowFailed
            {
                ScheduledEventId = parent.ScheduledEventId, Status = child.Status,
                Failure = RunOutcome.FailureOf(closing) ?? new FailureInfo { Type = child.Status.ToString(), Message = $"The child ended as {child.Status}." },
            };
        await ReportAsync(parent, outcome, cancellationToken);
        return TaskOutcome.Completed;
    }

    private async Task<TaskOutcome> ApplyParentClosePolicyAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        var child = await store.ReadInstanceAsync(message.WorkflowId, cancellationToken);
        if (child is not { Status: WorkflowStatus.Running, Parent: { } parent } || parent.RunId != message.RunId || parent.ScheduledEventId != message.ScheduledEventId)
        {
            return TaskOutcome.Completed;
        }

        if (message.Policy == ParentClosePolicy.Abandon)
        {
            return TaskOutcome.Completed;
        }

        var reason = $"Parent workflow '{parent.WorkflowId}' closed (parent close policy {message.Policy}).";
        _ = message.Policy == ParentClosePolicy.RequestCancel
            ? await client.CancelWorkflowAsync(child.WorkflowId, reason, cancellationToken)
            : await client.TerminateWorkflowAsync(child.WorkflowId, reason, cancellationToken);
        return TaskOutcome.Completed;
    }

    private async Task ReportAsync(ParentLink parent, HistoryEvent outcome, CancellationToken cancellationToken)
    {
        var item = new InboxItem { Key = $"k-{parent.RunId}-{parent.ScheduledEventId}", RunId = parent.RunId, Event = outcome, CreatedAt = time.GetUtcNow() };
        await store.AddInboxAsync(parent.WorkflowId, item, cancellationToken);
        await outbox.SendOneAsync(QueueNames.Workflow(parent.TaskQueue), new TaskMessage { Kind = TaskKind.Workflow, WorkflowId = parent.WorkflowId, RunId = parent.RunId }, null, cancellationToken);
    }
}
