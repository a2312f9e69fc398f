namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Which workflows this process is running a task for, so that concurrent wake-ups of one workflow
/// (a fan-in of many activity or child results) become extra rounds of one task instead of many tasks
/// racing on the same instance row.
/// </summary>
internal sealed class WorkInProgress
{
    private readonly Dictionary<string, bool> owners = new(StringComparer.Ordinal); // value: woken again while running
    private readonly Lock gate = new();

    /// <summary>True if the caller now owns the workflow; false if another task owns it (and was told to go round again).</summary>
    public bool TryEnter(string workflowId)
    {
        lock (gate)
        {
            if (owners.ContainsKey(workflowId))
            {
                owners[workflowId] = true;
                return false;
            }

            owners[workflowId] = false;
            return true;
        }
    }

    /// <summary>For the owner after a round: true (and cleared) if it was woken meanwhile; otherwise it stops owning.</summary>
    public bool ContinueOrLeave(string workflowId)
    {
        lock (gate)
        {
            if (owners.TryGetValue(workflowId, out var woken) && woken)
            {
                owners[workflowId] = false;
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
}
