using System.Text.Json;
using ServerlessFlow.History;

namespace ServerlessFlow.Testing;

/// <summary>
/// The environment's <see cref="IWorkflowClient"/>: the engine's client, except that waiting for a workflow to close
/// skips time, and waits (for a close or an update) fail after the environment's real-time <see cref="WorkflowTestEnvironmentOptions.WaitTimeout"/>.
/// </summary>
internal sealed class TimeSkippingClient(IWorkflowClient inner, WorkflowTestEnvironment environment) : IWorkflowClient
{
    public Task<WorkflowHandle> StartWorkflowAsync(string workflowType, object? input, StartWorkflowOptions options, CancellationToken cancellationToken = default) =>
        inner.StartWorkflowAsync(workflowType, input, options, cancellationToken);

    public Task<WorkflowDescription> DescribeWorkflowAsync(string workflowId, CancellationToken cancellationToken = default) =>
        inner.DescribeWorkflowAsync(workflowId, cancellationToken);

    public async Task<WorkflowDescription> WaitForCloseAsync(string workflowId, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var limit = environment.Options.WaitTimeout;
        using (environment.SkipTimeWhileWaiting(workflowId))
        {
            var description = await inner.WaitForCloseAsync(workflowId, wait < limit ? wait : limit, cancellationToken);
            return wait > limit && description.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew
                ? throw await environment.TimeoutAsync($"Workflow '{workflowId}' did not close", workflowId, cancellationToken)
                : description;
        }
    }

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string workflowId, CancellationToken cancellationToken = default) =>
        inner.GetHistoryAsync(workflowId, cancellationToken);

    public Task<WorkflowPage> ListWorkflowsAsync(WorkflowListQuery query, CancellationToken cancellationToken = default) =>
        inner.ListWorkflowsAsync(query, cancellationToken);

    public Task SignalWorkflowAsync(string workflowId, string signalName, object? argument, string? requestId = null, CancellationToken cancellationToken = default) =>
        inner.SignalWorkflowAsync(workflowId, signalName, argument, requestId, cancellationToken);

    public Task<WorkflowHandle> SignalWithStartAsync(
        string workflowType, object? input, StartWorkflowOptions options, string signalName, object? signalArgument, string? requestId = null, CancellationToken cancellationToken = default) =>
        inner.SignalWithStartAsync(workflowType, input, options, signalName, signalArgument, requestId, cancellationToken);

    public async Task<JsonElement?> UpdateWorkflowAsync(
        string workflowId, string updateName, object? argument, string? updateId = null, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        // No time skipping here: while the update is being validated and recorded the workflow looks idle, and a skip
        // would fire its timers before the update arrives. Only waits for results skip, as in Temporal's test server.
        var limit = environment.Options.WaitTimeout;
        try
        {
            return await inner.UpdateWorkflowAsync(workflowId, updateName, argument, updateId, wait is { } w && w < limit ? w : limit, cancellationToken);
        }
        catch (TimeoutException) when (wait is null || wait > limit)
        {
            throw await environment.TimeoutAsync($"Update '{updateName}' of workflow '{workflowId}' did not finish", workflowId, cancellationToken);
        }
    }

    public Task<JsonElement?> QueryWorkflowAsync(string workflowId, string queryName, object? argument, CancellationToken cancellationToken = default) =>
        inner.QueryWorkflowAsync(workflowId, queryName, argument, cancellationToken);

    public Task<bool> CancelWorkflowAsync(string workflowId, string? reason = null, CancellationToken cancellationToken = default) =>
        inner.CancelWorkflowAsync(workflowId, reason, cancellationToken);

    public Task<bool> TerminateWorkflowAsync(string workflowId, string? reason, CancellationToken cancellationToken = default) =>
        inner.TerminateWorkflowAsync(workflowId, reason, cancellationToken);

    public Task<bool> SuspendWorkflowAsync(string workflowId, string? reason = null, CancellationToken cancellationToken = default) =>
        inner.SuspendWorkflowAsync(workflowId, reason, cancellationToken);

    public Task<bool> ResumeWorkflowAsync(string workflowId, CancellationToken cancellationToken = default) =>
        inner.ResumeWorkflowAsync(workflowId, cancellationToken);

    public Task<bool> PurgeWorkflowAsync(string workflowId, CancellationToken cancellationToken = default) =>
        inner.PurgeWorkflowAsync(workflowId, cancellationToken);

    public Task<PurgeResult> PurgeWorkflowsAsync(WorkflowListQuery query, int max, CancellationToken cancellationToken = default) =>
        inner.PurgeWorkflowsAsync(query, max, cancellationToken);
}
