namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The workflow tasks this process runs at once (<see cref="WorkerOptions.MaxConcurrentWorkflowTasks"/>), shared by the
/// workflow-queue pollers and the first tasks of runs this process starts eagerly, which wait for a slot like a received
/// message does. Not disposable, for the reason <see cref="Activities.ActivitySlots"/> gives.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Released after the container is disposed; a SemaphoreSlim without its wait handle holds nothing to free.")]
internal sealed class WorkflowTaskSlots(WorkerOptions options)
{
    private readonly SemaphoreSlim slots = new(options.MaxConcurrentWorkflowTasks);
    private int startsWaiting;

    /// <summary>The semaphore itself, for the pollers that wait on it.</summary>
    public SemaphoreSlim Semaphore => slots;

    /// <summary>Eager starts whose first task is waiting for a slot now.</summary>
    public int StartsWaiting => Volatile.Read(ref startsWaiting);

    /// <summary>Waits for a slot for an eagerly started run's first task; the slot is given back with <see cref="TaskSlot.Release"/>.</summary>
    public async Task<TaskSlot> TakeForStartAsync()
    {
        Interlocked.Increment(ref startsWaiting);
        try
        {
            await slots.WaitAsync(CancellationToken.None);
        }
        finally
        {
            Interlocked.Decrement(ref startsWaiting);
        }

        return new TaskSlot(slots);
    }
}
