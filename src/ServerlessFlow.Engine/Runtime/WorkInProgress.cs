namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Which workflows this process is running a task for, so that concurrent wake-ups of one workflow
/// (a fan-in of many activity or child results) become extra rounds of one task instead of many tasks
/// racing on the same instance row. An owner waiting on its eager activities is told at once when it is woken.
/// </summary>
internal sealed class WorkInProgress
{
    private readonly Dictionary<string, Owner> owners = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>True if the caller now owns the workflow; false if another task owns it (and was told to go round again).</summary>
    public bool TryEnter(string workflowId)
    {
        lock (gate)
        {
            if (owners.TryGetValue(workflowId, out var owner))
            {
                owner.Woken = true;
                owner.Signal?.TrySetResult();
                owner.Signal = null;
                return false;
            }

            owners[workflowId] = new Owner();
            return true;
        }
    }

    /// <summary>For the owner between rounds: true (and cleared) if it was woken since it last asked.</summary>
    public bool TakeWoken(string workflowId)
    {
        lock (gate)
        {
            if (owners.TryGetValue(workflowId, out var owner) && owner.Woken)
            {
                owner.Woken = false;
                return true;
            }

            return false;
        }
    }

    /// <summary>For the owner: a task that completes when the workflow is woken (at once if it already was).</summary>
    public Task WokenAsync(string workflowId)
    {
        lock (gate)
        {
            if (!owners.TryGetValue(workflowId, out var owner) || owner.Woken)
            {
                return Task.CompletedTask;
            }

            owner.Signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return owner.Signal.Task;
        }
    }

    /// <summary>For the owner after a round: true (and cleared) if it was woken meanwhile; otherwise it stops owning.</summary>
    public bool ContinueOrLeave(string workflowId)
    {
        lock (gate)
        {
            if (owners.TryGetValue(workflowId, out var owner) && owner.Woken)
            {
                owner.Woken = false;
                return true;
            }

            owners.Remove(workflowId);
            return false;
        }
    }

    /// <summary>Stops owning (idempotent): used when the task ends early.</summary>
    public void Leave(string workflowId)
    {
        lock (gate)
        {
            owners.Remove(workflowId);
        }
    }

    private sealed class Owner
    {
        public bool Woken { get; set; }

        public TaskCompletionSource? Signal { get; set; }
    }
}
