namespace ServerlessFlow.Engine.Activities;

/// <summary>
/// The activity attempts this process runs at once (<see cref="WorkerOptions.MaxConcurrentActivities"/>), shared by the
/// activity-queue pollers and the workflow tasks that run activities eagerly: an eager attempt takes a free slot or
/// leaves the activity to its queue. Not disposable: an attempt abandoned by a stopping worker may give its slot back after
/// the container is gone (a <see cref="SemaphoreSlim"/> holds nothing to free unless its wait handle is used, and it is not).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Released after the container is disposed; a SemaphoreSlim without its wait handle holds nothing to free.")]
internal sealed class ActivitySlots(WorkerOptions options)
{
    private readonly SemaphoreSlim slots = new(options.MaxConcurrentActivities);

    /// <summary>The semaphore itself, for the pollers that wait on it.</summary>
    public SemaphoreSlim Semaphore => slots;

    /// <summary>Takes a slot if one is free.</summary>
    public bool TryTake() => slots.Wait(0);

    /// <summary>Waits for a slot and takes it.</summary>
    public Task TakeAsync(CancellationToken cancellationToken) => slots.WaitAsync(cancellationToken);

    /// <summary>Gives a slot back.</summary>
    public void Release() => slots.Release();
}
