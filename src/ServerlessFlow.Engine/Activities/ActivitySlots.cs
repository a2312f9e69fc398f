namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// The activity attempts this process runs at once (<see cref="WorkerOptions.MaxConcurrentActivities"/>), shared by the
/// activity-queue pollers and the workflow tasks that run activities eagerly: an eager attempt takes a free slot or
/// leaves the activity to its queue.
/// </summary>
internal sealed class ActivitySlots(WorkerOptions options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.MaxConcurrentActivities);

    /// <summary>The semaphore itself, for the pollers that wait on it.</summary>
    public SemaphoreSlim Semaphore => slots;

    /// <summary>Takes a slot if one is free.</summary>
    public bool TryTake() => slots.Wait(0);

    /// <summary>Gives a slot back.</summary>
    public void Release() => slots.Release();

    public void Dispose() => slots.Dispose();
}
