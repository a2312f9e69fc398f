using System.Linq.Expressions;
using System.Text.Json;

namespace ServerlessFlow;

/// <summary>
/// A started child workflow, as workflow code sees it (<c>Workflow.StartChildWorkflowAsync</c>): signal it, and await its
/// result whenever the code needs it — or never. Everything done through it is recorded in the parent's history.
/// </summary>
public class ChildWorkflowHandle
{
    private readonly Task<JsonElement?> result;

    internal ChildWorkflowHandle(string id, string firstExecutionRunId, Task<JsonElement?> result)
    {
        Id = id;
        FirstExecutionRunId = firstExecutionRunId;
        this.result = result;
    }

    /// <summary>The child's workflow ID.</summary>
    public string Id { get; }

    /// <summary>The run the child started with (a child that continues as new keeps its ID and gets new runs).</summary>
    public string FirstExecutionRunId { get; }

    /// <summary>Waits for the child to close; throws <see cref="ChildWorkflowFailureException"/> when it did not complete.</summary>
    public Task GetResultAsync() => result;

    /// <summary>Waits for the child to close and returns its result as <typeparamref name="TResult"/>.</summary>
    /// <exception cref="ChildWorkflowFailureException">The child did not complete.</exception>
    public async Task<TResult?> GetResultAsync<TResult>() => PayloadJson.FromElement<TResult>(await result);

    /// <summary>
    /// Signals the child by name. Recorded in the parent's history and delivered once; completes when the child has it.
    /// </summary>
    /// <exception cref="ExternalWorkflowFailureException">The child is no longer running, or has no such signal.</exception>
    public Task SignalAsync(string signalName, object? argument = null) => Workflow.SignalExternal(Id, runId: null, signalName, argument);
}

/// <summary>A started child workflow whose signals are written as calls on its class: <c>child.SignalAsync(wf =&gt; wf.ApproveAsync(a))</c>.</summary>
/// <typeparam name="TWorkflow">The child's workflow class.</typeparam>
public class ChildWorkflowHandle<TWorkflow> : ChildWorkflowHandle
{
    internal ChildWorkflowHandle(string id, string firstExecutionRunId, Task<JsonElement?> result)
        : base(id, firstExecutionRunId, result)
    {
    }

    /// <summary>Signals a handler that returns a Task; the argument is evaluated now.</summary>
    /// <exception cref="ExternalWorkflowFailureException">The child is no longer running.</exception>
    public Task SignalAsync(Expression<Func<TWorkflow, Task>> signal) => TypedSignal.SendAsync(Id, runId: null, signal);

    /// <summary>Signals a handler that returns void; the argument is evaluated now.</summary>
    /// <exception cref="ExternalWorkflowFailureException">The child is no longer running.</exception>
    public Task SignalAsync(Expression<Action<TWorkflow>> signal) => TypedSignal.SendAsync(Id, runId: null, signal);
}

/// <summary>A started child workflow with a typed result.</summary>
/// <typeparam name="TWorkflow">The child's workflow class.</typeparam>
/// <typeparam name="TResult">What its run method returns.</typeparam>
public sealed class ChildWorkflowHandle<TWorkflow, TResult> : ChildWorkflowHandle<TWorkflow>
{
    internal ChildWorkflowHandle(string id, string firstExecutionRunId, Task<JsonElement?> result)
        : base(id, firstExecutionRunId, result)
    {
    }

    /// <summary>Waits for the child to close and returns its result.</summary>
    /// <exception cref="ChildWorkflowFailureException">The child did not complete.</exception>
    public new async Task<TResult> GetResultAsync() => (await GetResultAsync<TResult>())!;
}
