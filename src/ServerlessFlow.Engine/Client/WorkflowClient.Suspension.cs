using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Client;

/// <summary>
/// Suspend and resume: a mark on the instance row, written by a commit fenced like any other, so a workflow task that
/// raced it loses and reloads to find it. While the mark is set, workflow tasks stop before running code
/// (WorkflowTaskProcessor), so inbox rows and due timers wait; the resume commit clears it and carries a wake-up.
/// History is untouched: suspension is an operator's hold, not something the workflow's code decides or replays.
/// </summary>
internal sealed partial class WorkflowClient
{
    public async Task<bool> SuspendWorkflowAsync(string workflowId, string? reason = null, CancellationToken cancellationToken = default)
    {
        if (reason is { Length: > WorkflowSuspension.MaxReasonLength })
        {
            throw new InvalidWorkflowRequestException(
                $"The suspension reason has {reason.Length} characters; at most {WorkflowSuspension.MaxReasonLength} are kept. Shorten it; nothing was suspended.");
        }

        while (true)
        {
            // The workflow ID's current run, as for a terminate: one that continued as new is replaced by the run it named.
            var instance = await CurrentRunAsync(workflowId, cancellationToken);
            if (instance.Status != WorkflowStatus.Running)
            {
                return false;
            }

            if (instance.Suspension is not null)
            {
                return true; // Already held: the first suspension's time and reason stay.
            }

            if (await CommitSuspensionAsync(instance, new WorkflowSuspension(time.GetUtcNow(), reason), wakeUp: null, cancellationToken))
            {
                return true;
            }
        }
    }

    public async Task<bool> ResumeWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var instance = await CurrentRunAsync(workflowId, cancellationToken);
            if (instance.Status != WorkflowStatus.Running)
            {
                return false;
            }

            if (instance.Suspension is null)
            {
                return true;
            }

            // The wake-up is in the commit's outbox, so a crash after the commit cannot leave the kept work unapplied.
            var wakeUp = new OutboundMessage(
                QueueNames.Workflow(instance.TaskQueue), new WorkflowTaskMessage { WorkflowId = instance.WorkflowId, RunId = instance.RunId });
            if (await CommitSuspensionAsync(instance, suspension: null, wakeUp, cancellationToken))
            {
                return true;
            }
        }
    }

    /// <summary>Sets or clears the mark, fenced by the instance's ETag; false when the fence failed (read again and retry).</summary>
    private async Task<bool> CommitSuspensionAsync(InstanceRecord instance, WorkflowSuspension? suspension, OutboundMessage? wakeUp, CancellationToken cancellationToken)
    {
        // Messages of the previous commit still pending go out with this one rather than be dropped.
        var outbound = (instance.OutboxPending ? instance.Outbox : []).Concat(wakeUp is null ? [] : [wakeUp]).ToList();
        var commit = new WorkflowCommit
        {
            Instance = instance with
            {
                Suspension = suspension,
                Version = instance.Version + 1,
                Outbox = outbound,
                OutboxPending = true,
                VisibilityChanged = true, // Listings show the suspension.
            },
        };
        if (await store.CommitAsync(commit, cancellationToken) is not { } committed)
        {
            return false;
        }

        await outbox.SendAsync(committed, cancellationToken);
        return true;
    }
}
