using System.Linq.Expressions;
using ServerlessFlow.History;

namespace ServerlessFlow;

/// <summary>
/// A typed handle on a workflow: signals, queries and updates are written as calls on the workflow class
/// (<c>h.SignalAsync(wf =&gt; wf.ApproveAsync(a))</c>), so names and argument types are checked by the compiler.
/// Get one from <see cref="WorkflowClientExtensions.StartWorkflowAsync{TWorkflow}"/> or
/// <see cref="WorkflowClientExtensions.GetWorkflowHandle{TWorkflow}(IWorkflowClient, string)"/>.
/// </summary>
/// <typeparam name="TWorkflow">The workflow class.</typeparam>
public class WorkflowHandle<TWorkflow>
{
    /// <summary>How long one wait for the result lasts before it is renewed (the result wait itself has no limit).</summary>
    private static readonly TimeSpan ResultWaitChunk = TimeSpan.FromMinutes(1);

    internal WorkflowHandle(IWorkflowClient client, string id, string? runId)
    {
        Client = client;
        Id = id;
        RunId = runId;
    }

    /// <summary>The client the handle talks through.</summary>
    public IWorkflowClient Client { get; }

    /// <summary>The workflow ID.</summary>
    public string Id { get; }

    /// <summary>The run this handle started; null for a handle got by ID. Calls always address the workflow's current run.</summary>
    public string? RunId { get; }

    /// <summary>
    /// Waits for the workflow to close (following continue-as-new) and throws <see cref="WorkflowFailedException"/>
    /// if it did not complete.
    /// </summary>
    public async Task GetResultAsync(CancellationToken cancellationToken = default) => (await WaitForCloseAsync(cancellationToken)).GetResult<object>();

    /// <summary>Sends a signal to a handler that returns a Task: <c>h.SignalAsync(wf =&gt; wf.ApproveAsync(decision))</c>.</summary>
    /// <param name="signal">A call of a [WorkflowSignal] method; its argument is evaluated now and sent.</param>
    /// <param name="requestId">Makes a repeated send a no-op; a new ID when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task SignalAsync(Expression<Func<TWorkflow, Task>> signal, string? requestId = null, CancellationToken cancellationToken = default)
    {
        var (name, argument) = HandlerCall.Signal(signal);
        return Client.SignalWorkflowAsync(Id, name, argument, requestId, cancellationToken);
    }

    /// <summary>Sends a signal to a handler that returns void: <c>h.SignalAsync(wf =&gt; wf.Decide(decision))</c>.</summary>
    /// <param name="signal">A call of a [WorkflowSignal] method; its argument is evaluated now and sent.</param>
    /// <param name="requestId">Makes a repeated send a no-op; a new ID when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task SignalAsync(Expression<Action<TWorkflow>> signal, string? requestId = null, CancellationToken cancellationToken = default)
    {
        var (name, argument) = HandlerCall.Signal(signal);
        return Client.SignalWorkflowAsync(Id, name, argument, requestId, cancellationToken);
    }

    /// <summary>Queries the workflow: <c>h.QueryAsync(wf =&gt; wf.Status)</c> for a property, <c>h.QueryAsync(wf =&gt; wf.Find(key))</c> for a method.</summary>
    public async Task<TQueryResult> QueryAsync<TQueryResult>(Expression<Func<TWorkflow, TQueryResult>> query, CancellationToken cancellationToken = default)
    {
        var (name, argument) = HandlerCall.Query(query);
        return PayloadJson.FromElement<TQueryResult>(await Client.QueryWorkflowAsync(Id, name, argument, cancellationToken))!;
    }

    /// <summary>Runs an update and returns its result: <c>await h.ExecuteUpdateAsync(wf =&gt; wf.SetAmountAsync(1500))</c>.</summary>
    /// <param name="update">A call of a [WorkflowUpdate] method; its argument is evaluated now and sent.</param>
    /// <param name="updateId">Makes a repeated update apply once and answer the same; a new ID when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WorkflowUpdateFailedException">The validator rejected it, or the handler failed.</exception>
    public async Task<TUpdateResult> ExecuteUpdateAsync<TUpdateResult>(Expression<Func<TWorkflow, Task<TUpdateResult>>> update, string? updateId = null, CancellationToken cancellationToken = default)
    {
        var (name, argument) = HandlerCall.Update(update);
        return PayloadJson.FromElement<TUpdateResult>(await Client.UpdateWorkflowAsync(Id, name, argument, updateId, wait: null, cancellationToken))!;
    }

    /// <summary>Runs an update whose handler returns no value.</summary>
    /// <param name="update">A call of a [WorkflowUpdate] method; its argument is evaluated now and sent.</param>
    /// <param name="updateId">Makes a repeated update apply once; a new ID when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WorkflowUpdateFailedException">The validator rejected it, or the handler failed.</exception>
    public Task ExecuteUpdateAsync(Expression<Func<TWorkflow, Task>> update, string? updateId = null, CancellationToken cancellationToken = default)
    {
        var (name, argument) = HandlerCall.Update(update);
        return Client.UpdateWorkflowAsync(Id, name, argument, updateId, wait: null, cancellationToken);
    }

    /// <summary>Describes the workflow's current run.</summary>
    public Task<WorkflowDescription> DescribeAsync(CancellationToken cancellationToken = default) => Client.DescribeWorkflowAsync(Id, cancellationToken);

    /// <summary>Asks the workflow to cancel; false if it had already closed.</summary>
    public Task<bool> CancelAsync(string? reason = null, CancellationToken cancellationToken = default) => Client.CancelWorkflowAsync(Id, reason, cancellationToken);

    /// <summary>Terminates the workflow at once; false if it had already closed.</summary>
    public Task<bool> TerminateAsync(string? reason = null, CancellationToken cancellationToken = default) => Client.TerminateWorkflowAsync(Id, reason, cancellationToken);

    /// <summary>The current run's history, in the shape the replayer reads (<see cref="WorkflowHistory.ToJson"/> saves it).</summary>
    public async Task<WorkflowHistory> GetHistoryAsync(CancellationToken cancellationToken = default) =>
        new(Id, await Client.GetHistoryAsync(Id, cancellationToken));

    /// <summary>Waits, without limit unless <paramref name="cancellationToken"/> says otherwise, until the current run closes.</summary>
    private protected async Task<WorkflowDescription> WaitForCloseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var description = await Client.WaitForCloseAsync(Id, ResultWaitChunk, cancellationToken);
            if (description.Status is not (WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew))
            {
                return description;
            }
        }
    }
}

/// <summary>A typed handle on a workflow whose run method returns <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TWorkflow">The workflow class.</typeparam>
/// <typeparam name="TResult">The run method's result type.</typeparam>
public sealed class WorkflowHandle<TWorkflow, TResult> : WorkflowHandle<TWorkflow>
{
    internal WorkflowHandle(IWorkflowClient client, string id, string? runId)
        : base(client, id, runId)
    {
    }

    /// <summary>
    /// Waits for the workflow to close (following continue-as-new) and returns its result; throws
    /// <see cref="WorkflowFailedException"/> if it did not complete.
    /// </summary>
    public new async Task<TResult> GetResultAsync(CancellationToken cancellationToken = default) =>
        (await WaitForCloseAsync(cancellationToken)).GetResult<TResult>()!;
}
