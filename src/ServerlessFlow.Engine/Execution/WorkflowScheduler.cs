using System.Diagnostics;

namespace ServerlessFlow.Engine.Execution;

/// <summary>
/// The single-threaded scheduler workflow code runs on. Continuations of workflow awaits are queued
/// here and run, in order, only when the executor calls <see cref="RunUntilIdle"/> — so the code
/// advances exactly as far as the events delivered so far allow, identically on every replay.
/// </summary>
/// <remarks>
/// It also guards the code: work started outside it (reported by <see cref="ForeignTaskListener"/>), a continuation
/// queued by a thread that is not running this workflow, a workflow API called off the scheduler, or code that holds
/// the thread longer than <see cref="BlockingLimit"/>, fails the workflow task with a message naming the call —
/// awaiting such work would otherwise leave the workflow waiting for something history never records.
/// </remarks>
internal sealed class WorkflowScheduler : TaskScheduler, IWorkflowContextProvider
{
    /// <summary>How long workflow code may run without yielding: it should take microseconds; Temporal's deadlock timeout is the same.</summary>
    public static readonly TimeSpan BlockingLimit = TimeSpan.FromSeconds(2);

    private const string Fix =
        "Workflow code must wait only on workflow operations: use Workflow.DelayAsync for timers, activities for I/O and " +
        "CPU-heavy work, no Task.Run, no ConfigureAwait(false), and nothing that blocks the thread.";

    private readonly Queue<Task> ready = new();
    private readonly Lock gate = new();
    private string? violation;
    private volatile bool abandoned;

    public WorkflowScheduler(IWorkflowContext context)
    {
        Context = context;
        ForeignTaskListener.EnsureStarted();
    }

    public IWorkflowContext Context { get; }

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Marks the calling thread as running this workflow's executor, until disposed.</summary>
    public Scope Enter() => new(this);

    /// <summary>
    /// Runs queued workflow work until none is left (the code is blocked on events not yet delivered). Throws
    /// <see cref="WorkflowTaskFailureException"/> when the code left the scheduler or blocked it.
    /// </summary>
    public void RunUntilIdle()
    {
        ThrowIfViolated();

        // The code runs on a thread of its own so that a blocked workflow thread cannot block the worker: after the
        // limit the task fails and this scheduler is abandoned (its execution is dropped from the cache).
        if (!WorkflowCodeThreads.Shared.Run(Drain, BlockingLimit))
        {
            abandoned = true;
            Violate($"workflow code ran for more than {BlockingLimit.TotalSeconds:0} s without yielding: something blocks the workflow thread " +
                "(Thread.Sleep, Task.Wait, .Result or GetAwaiter().GetResult() on an unfinished task, a lock, a long computation)");
        }

        ThrowIfViolated();
    }

    /// <summary>Work was started outside this scheduler from workflow code (called by <see cref="ForeignTaskListener"/>).</summary>
    public void ReportForeignWork(StackTrace trace) =>
        Violate($"workflow code started work outside the workflow scheduler ({WorkflowCallSite.Describe(trace) ?? "a task, timer or thread-pool item"})");

    /// <inheritdoc />
    public void ReportEscape(string message) =>
        Violate($"workflow code continued off the workflow scheduler (after ConfigureAwait(false), or resumed by a task that is not a workflow task) " +
            $"and then called a workflow API ({WorkflowCallSite.Describe(new StackTrace()) ?? message})");

    protected override void QueueTask(Task task)
    {
        if (!ReferenceEquals(WorkflowThread.Executing, this))
        {
            // Completed by a thread that is not running this workflow: a timer, an I/O completion, a Task.Run. Running it
            // would resume the code at a moment history does not know.
            Violate("workflow code awaited a task that completed outside the workflow (Task.Delay, Task.Run, an I/O call or another task that is not a workflow operation)");
            return;
        }

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

    private void Drain()
    {
        using var scope = Enter();
        while (!abandoned)
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

    private void Violate(string what) => Interlocked.CompareExchange(ref violation, what, null);

    private void ThrowIfViolated()
    {
        if (Volatile.Read(ref violation) is { } what)
        {
            throw new WorkflowTaskFailureException(
                $"Workflow '{Context.Info.WorkflowId}' ({Context.Info.WorkflowType}): {what}. {Fix} History is untouched and the task will be retried.");
        }
    }

    /// <summary>While alive, the thread it was created on counts as running this workflow.</summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly IWorkflowContextProvider? previous;

        public Scope(WorkflowScheduler scheduler)
        {
            previous = WorkflowThread.Executing;
            WorkflowThread.Executing = scheduler;
        }

        public void Dispose() => WorkflowThread.Executing = previous;
    }
}
