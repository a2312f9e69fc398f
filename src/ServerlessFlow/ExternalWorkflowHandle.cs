using System.Linq.Expressions;

namespace ServerlessFlow;

/// <summary>
/// Another workflow, addressed from workflow code (<c>Workflow.GetExternalWorkflowHandle</c>): signal it or ask it to cancel.
/// Each request is recorded in this workflow's history, delivered once after the workflow task commits, and completes when
/// the target has it — the same on every replay.
/// </summary>
public class ExternalWorkflowHandle
{
    internal ExternalWorkflowHandle(string id, string? runId)
    {
        Id = id;
        RunId = runId;
    }

    /// <summary>The target's workflow ID.</summary>
    public string Id { get; }

    /// <summary>The target run; null for whichever run of <see cref="Id"/> is current when a request arrives.</summary>
    public string? RunId { get; }

    /// <summary>Signals the workflow by name.</summary>
    /// <exception cref="ExternalWorkflowFailureException">No such workflow or run, it is not running, or it has no such signal.</exception>
    public Task SignalAsync(string signalName, object? argument = null) => Workflow.SignalExternal(Id, RunId, signalName, argument);

    /// <summary>Asks the workflow to cancel: its code sees cancellation at its pending awaits and may clean up.</summary>
    /// <exception cref="ExternalWorkflowFailureException">No such workflow or run, or it is not running.</exception>
    public Task CancelAsync() => Workflow.CancelExternal(Id, RunId);
}

/// <summary>Another workflow whose signals are written as calls on its class: <c>h.SignalAsync(wf =&gt; wf.ApproveAsync(a))</c>.</summary>
/// <typeparam name="TWorkflow">The target's workflow class.</typeparam>
public sealed class ExternalWorkflowHandle<TWorkflow> : ExternalWorkflowHandle
{
    internal ExternalWorkflowHandle(string id, string? runId)
        : base(id, runId)
    {
    }

    /// <summary>Signals a handler that returns a Task; the argument is evaluated now.</summary>
    /// <exception cref="ExternalWorkflowFailureException">No such workflow or run, or it is not running.</exception>
    public Task SignalAsync(Expression<Func<TWorkflow, Task>> signal) => TypedSignal.SendAsync(Id, RunId, signal);

    /// <summary>Signals a handler that returns void; the argument is evaluated now.</summary>
    /// <exception cref="ExternalWorkflowFailureException">No such workflow or run, or it is not running.</exception>
    public Task SignalAsync(Expression<Action<TWorkflow>> signal) => TypedSignal.SendAsync(Id, RunId, signal);
}
