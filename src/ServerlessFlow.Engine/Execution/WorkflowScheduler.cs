namespace ServerlessFlow.Engine.Execution;

/// <summary>
/// The single-threaded scheduler workflow code runs on. Continuations of workflow awaits are queued
/// here and run, in order, only when the executor calls <see cref="RunUntilIdle"/> — so the code
/// advances exactly as far as the events delivered so far allow, identically on every replay.
/// </summary>
internal sealed class WorkflowScheduler(IWorkflowContext context) : TaskScheduler, IWorkflowContextProvider
{
    private readonly Queue<Task> ready = new();
    private readonly Lock gate = new();

    public IWorkflowContext Context { get; } = context;

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Runs queued workflow work until none is left (the code is blocked on events not yet delivered).</summary>
    public void RunUntilIdle()
    {
        // A host's synchronization context would capture workflow awaits and run them elsewhere; workflow code must see none.
        var hostContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            while (true)
            {
                Task? next;
                lock (gate)
                {
                    if (!ready.TryDequeue(out next))
                    {
                        return;
                    }
                }

                TryExecuteTask(next);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(hostContext);
        }
    }

    protected override void QueueTask(Task task)
    {
        lock (gate)
        {
            ready.Enqueue(task);
        }
    }

    // Never inline: running a continuation on whatever thread completes a task would make order depend on timing.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (gate)
        {
            return ready.ToArray();
        }
    }
}
