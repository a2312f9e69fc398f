namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The workflow-task slot a polling worker holds for the message being handled, so that a workflow task that goes on to
/// wait for its eager activities can give it back: waiting needs no workflow-task concurrency (the activity slots its
/// attempts hold already bound how many tasks wait), and the worker's next messages must not queue up behind it.
/// </summary>
internal sealed class TaskSlot(SemaphoreSlim slots)
{
    private static readonly AsyncLocal<TaskSlot?> Current = new();
    private int released;

    /// <summary>The slot of the message handled on this flow; null outside a polling worker (on Functions the host's own concurrency applies).</summary>
    public static TaskSlot? Held => Current.Value;

    /// <summary>Makes <paramref name="slot"/> the one held by the current flow (and the handler it calls); null for none.</summary>
    public static void Hold(TaskSlot? slot) => Current.Value = slot;

    /// <summary>Gives the slot back; later calls do nothing.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            slots.Release();
        }
    }
}
