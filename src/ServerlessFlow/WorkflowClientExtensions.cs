using System.Linq.Expressions;

namespace ServerlessFlow;

/// <summary>
/// Typed calls on <see cref="IWorkflowClient"/>: a workflow is started by calling its run method in a lambda,
/// <c>client.StartWorkflowAsync((OrderWorkflow wf) =&gt; wf.RunAsync(order), options)</c>, so the type name, the input's
/// type and the result's type are checked by the compiler — a start with the wrong input no longer compiles.
/// </summary>
public static class WorkflowClientExtensions
{
    /// <summary>Starts a workflow whose run method returns a result; returns a typed handle at once.</summary>
    /// <param name="client">The client.</param>
    /// <param name="run">A call of the [WorkflowRun] method; its argument is evaluated now and becomes the input.</param>
    /// <param name="options">ID, task queue and policies.</param>
    /// <param name="cancellationToken">Cancels the call (not the workflow).</param>
    public static async Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(
        this IWorkflowClient client, Expression<Func<TWorkflow, Task<TResult>>> run, StartWorkflowOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (type, input) = ChildCall.Parse(run);
        var started = await client.StartWorkflowAsync(type, input, options, cancellationToken);
        return new WorkflowHandle<TWorkflow, TResult>(client, started.Id, started.RunId);
    }

    /// <summary>Starts a workflow whose run method returns no value; returns a typed handle at once.</summary>
    /// <param name="client">The client.</param>
    /// <param name="run">A call of the [WorkflowRun] method; its argument is evaluated now and becomes the input.</param>
    /// <param name="options">ID, task queue and policies.</param>
    /// <param name="cancellationToken">Cancels the call (not the workflow).</param>
    public static async Task<WorkflowHandle<TWorkflow>> StartWorkflowAsync<TWorkflow>(
        this IWorkflowClient client, Expression<Func<TWorkflow, Task>> run, StartWorkflowOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (type, input) = ChildCall.Parse(run);
        var started = await client.StartWorkflowAsync(type, input, options, cancellationToken);
        return new WorkflowHandle<TWorkflow>(client, started.Id, started.RunId);
    }

    /// <summary>Starts a workflow and waits for its result.</summary>
    /// <exception cref="WorkflowFailedException">The workflow did not complete.</exception>
    public static async Task<TResult> ExecuteWorkflowAsync<TWorkflow, TResult>(
        this IWorkflowClient client, Expression<Func<TWorkflow, Task<TResult>>> run, StartWorkflowOptions options, CancellationToken cancellationToken = default) =>
        await (await client.StartWorkflowAsync(run, options, cancellationToken)).GetResultAsync(cancellationToken);

    /// <summary>Starts a workflow whose run method returns no value and waits for it to complete.</summary>
    /// <exception cref="WorkflowFailedException">The workflow did not complete.</exception>
    public static async Task ExecuteWorkflowAsync<TWorkflow>(
        this IWorkflowClient client, Expression<Func<TWorkflow, Task>> run, StartWorkflowOptions options, CancellationToken cancellationToken = default) =>
        await (await client.StartWorkflowAsync(run, options, cancellationToken)).GetResultAsync(cancellationToken);

    /// <summary>A typed handle on an existing workflow, by ID (nothing is read until a call is made).</summary>
    public static WorkflowHandle<TWorkflow> GetWorkflowHandle<TWorkflow>(this IWorkflowClient client, string workflowId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new WorkflowHandle<TWorkflow>(client, workflowId, runId: null);
    }

    /// <summary>A typed handle on an existing workflow whose run method returns <typeparamref name="TResult"/>, by ID.</summary>
    public static WorkflowHandle<TWorkflow, TResult> GetWorkflowHandle<TWorkflow, TResult>(this IWorkflowClient client, string workflowId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new WorkflowHandle<TWorkflow, TResult>(client, workflowId, runId: null);
    }

    /// <summary>A typed handle on the run a string-typed start returned (what generated start stubs give back).</summary>
    public static WorkflowHandle<TWorkflow> GetWorkflowHandle<TWorkflow>(this IWorkflowClient client, WorkflowHandle started)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(started);
        return new WorkflowHandle<TWorkflow>(client, started.Id, started.RunId);
    }

    /// <summary>A typed handle, with its result type, on the run a string-typed start returned.</summary>
    public static WorkflowHandle<TWorkflow, TResult> GetWorkflowHandle<TWorkflow, TResult>(this IWorkflowClient client, WorkflowHandle started)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(started);
        return new WorkflowHandle<TWorkflow, TResult>(client, started.Id, started.RunId);
    }
}
