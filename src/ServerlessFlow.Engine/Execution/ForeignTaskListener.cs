using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace ServerlessFlow.Engine.Execution;

/// <summary>
/// Watches the runtime's task and thread-pool events for work that workflow code starts outside its scheduler
/// (Task.Run, Task.Factory.StartNew, Task.Delay's timer, thread-pool I/O) and reports it to that workflow's
/// <see cref="WorkflowScheduler"/>, which fails the workflow task instead of letting the code wait for work that
/// history will never see. Events are written on the thread that causes them, so the scheduler running the
/// code is <see cref="TaskScheduler.Current"/>; for every other thread the check is one type test.
/// </summary>
/// <remarks>Temporal's .NET SDK guards its workflows the same way.</remarks>
internal sealed class ForeignTaskListener : EventListener
{
    private const string TplSource = "System.Threading.Tasks.TplEventSource";
    private const string FrameworkSource = "System.Diagnostics.Eventing.FrameworkEventSource";

    // TplEventSource: TaskScheduled (7) to TaskWaitEnd (11) carry, first, the ID of the scheduler the task runs on.
    private const int FirstSchedulerEvent = 7;
    private const int LastSchedulerEvent = 11;
    private const EventKeywords TplTasks = (EventKeywords)2;

    // FrameworkEventSource: thread-pool work items (ThreadPool, verbose: how pool I/O completes) and thread transfers (timers).
    private const EventKeywords ThreadPoolWork = (EventKeywords)0x2;
    private const EventKeywords ThreadTransfer = (EventKeywords)0x10;

    private static readonly Lazy<ForeignTaskListener> Instance = new(() => new ForeignTaskListener());

    [ThreadStatic]
    private static int ignoring;

    /// <summary>Starts listening (once per process).</summary>
    public static void EnsureStarted() => _ = Instance.Value;

    /// <summary>
    /// Until disposed, work started on this thread is not workflow code's: the engine calls out of the workflow (a
    /// logging provider behind <see cref="Workflow.Logger"/> may hand messages to a background writer), and what that
    /// code does never feeds back into the workflow.
    /// </summary>
    public static IgnoreScope Ignore() => new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Called from the base constructor, before this object's fields are set: keep this free of instance state.
        if (eventSource.Name == TplSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, TplTasks);
        }
        else if (eventSource.Name == FrameworkSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, ThreadPoolWork | ThreadTransfer);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (ignoring > 0 || TaskScheduler.Current is not WorkflowScheduler scheduler)
        {
            return;
        }

        var foreign = eventData.EventSource.Name switch
        {
            TplSource => eventData.EventId is >= FirstSchedulerEvent and <= LastSchedulerEvent
                && eventData.Payload is [int schedulerId, ..] && schedulerId != scheduler.Id,
            FrameworkSource => true, // only the enabled keywords arrive: a timer or a thread-pool item started by workflow code
            _ => false,
        };
        if (foreign)
        {
            scheduler.ReportForeignWork(new StackTrace());
        }
    }

    /// <summary>See <see cref="Ignore"/>.</summary>
    internal readonly struct IgnoreScope : IDisposable
    {
        public IgnoreScope() => ignoring++;

        public void Dispose() => ignoring--;
    }
}
