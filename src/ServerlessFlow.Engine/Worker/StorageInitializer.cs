using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Worker;

/// <summary>Creates what the backend's stores need (tables) before first use; idempotent. Hosts call it at start-up.</summary>
public sealed class StorageInitializer
{
    private readonly IWorkflowStore store;
    private readonly IVisibilityStore visibility;
    private readonly IScheduleStore schedules;

    internal StorageInitializer(IWorkflowStore store, IVisibilityStore visibility, IScheduleStore schedules)
    {
        this.store = store;
        this.visibility = visibility;
        this.schedules = schedules;
    }

    /// <summary>Initializes the workflow, visibility and schedule stores.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        await visibility.InitializeAsync(cancellationToken);
        await schedules.InitializeAsync(cancellationToken);
    }
}
