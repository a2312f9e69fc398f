using System.Text.Json;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Diagnostics;
using ServerlessFlow.Engine.Execution;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Client;

/// <summary>Talking to running workflows: signals (durable, through the inbox) and queries (read-only replay).</summary>
internal sealed partial class WorkflowClient
{
    public async Task SignalWorkflowAsync(string workflowId, string signalName, object? argument, string? requestId = null, CancellationToken cancellationToken = default)
    {
        WorkflowIds.ValidateName(signalName, "signal name");
        WorkflowIds.ValidateRequestId(requestId, "request ID");
        using var span = ServerlessFlowTelemetry.StartClientSpan("SignalWorkflow", workflowId, signalName);
        var instance = await ReadAsync(workflowId, cancellationToken);
        ServerlessFlowTelemetry.LinkToRun(span, instance.RunId, instance.TraceParent);
        if (registry.FindWorkflow(instance.WorkflowType) is { } definition && !definition.Signals.ContainsKey(signalName))
        {
            throw new InvalidWorkflowRequestException(
                $"Workflow type '{instance.WorkflowType}' has no signal '{signalName}'. Its signals: {string.Join(", ", definition.Signals.Keys.Order(StringComparer.Ordinal))}.");
        }

        var input = PayloadLimits.Check(PayloadJson.ToElement(argument), "signal argument");
        if (registry.FindWorkflow(instance.WorkflowType)?.Signals[signalName] is { } handler)
        {
            ArgumentFit.Check(input, handler, $"the argument of signal '{signalName}'");
        }

        // A signal goes to the workflow ID's open run. One that continues as new meanwhile hands it to its new run (as in Temporal):
        // the signal is delivered there, never refused or lost; a retry of one an earlier run of the chain applied is dropped there.
        var id = requestId ?? Guid.NewGuid().ToString("N");
        var refused = await DeliverToOpenRunAsync(
            instance,
            runId => new InboxItem
            {
                // Keyed by run as well: a row left for a run that continued as new must not stand in for the one its new run needs.
                Key = $"s-{runId}-{id}", RunId = runId, Event = new WorkflowSignaled { SignalName = signalName, Input = input, RequestId = id }, CreatedAt = time.GetUtcNow(),
            },
            history => history.OfType<WorkflowSignaled>().Any(s => s.RequestId == id),
            cancellationToken);
        if (refused is not null)
        {
            throw new InvalidWorkflowRequestException(instance.Status is not (WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew)
                ? $"Workflow '{workflowId}' is {instance.Status}; only running workflows take signals."
                : $"Workflow '{workflowId}' run '{refused}' closed before the signal reached it; only running workflows take signals. Nothing was delivered.");
        }
    }

    /// <summary>How many runs a message follows when each continues as new (or closes and another starts) before the message lands.</summary>
    private const int MaxRunsFollowed = 5;

    /// <summary>
    /// Delivers the inbox row <paramref name="item"/> makes for a run to the workflow ID's open run (<see cref="OpenRunAsync"/>), as
    /// <see cref="DeliverAsync(InstanceRecord, string, InboxItem, Func{IReadOnlyList{HistoryEvent}, bool}, CancellationToken)"/> does;
    /// a run that closed before the row reached it, while another run of the ID is open (it continued as new), hands the message to
    /// that run, for up to <see cref="MaxRunsFollowed"/> runs. Null when delivered; otherwise the run that did not take it (the
    /// run <paramref name="instance"/> was read as when no run was open).
    /// </summary>
    private async Task<string?> DeliverToOpenRunAsync(
        InstanceRecord instance, Func<string, InboxItem> item, Func<IReadOnlyList<HistoryEvent>, bool> recorded, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await OpenRunAsync(instance, cancellationToken) is not { } runId)
            {
                return instance.RunId;
            }

            if (await DeliverAsync(instance, runId, item(runId), recorded, cancellationToken))
            {
                return null;
            }

            var after = await ReadAsync(instance.WorkflowId, cancellationToken);
            if (attempt == MaxRunsFollowed || await OpenRunAsync(after, cancellationToken) is not { } nextRun || nextRun == runId)
            {
                return runId;
            }

            instance = after;
        }
    }

    /// <summary>
    /// The run that takes messages for the workflow <paramref name="instance"/> was read as: its run while it is running, or, in the
    /// moment between a continue-as-new and the start of the run it named, that new run. Null when no run is open.
    /// </summary>
    private async Task<string?> OpenRunAsync(InstanceRecord instance, CancellationToken cancellationToken) => instance.Status switch
    {
        WorkflowStatus.Running => instance.RunId,
        WorkflowStatus.ContinuedAsNew => (await store.ReadEventAsync(instance.WorkflowId, instance.RunId, instance.LastEventId, cancellationToken) as WorkflowContinuedAsNew)?.NewRunId,
        _ => null,
    };

    /// <summary>
    /// Inserts <paramref name="item"/> into the inbox of the run <paramref name="runId"/> — the run <paramref name="instance"/> was read
    /// as, or the run it named when it continued as new (not started yet: the row waits for it, since nothing discards the inbox
    /// between the two runs) — wakes the workflow, and tells whether the run takes it. The run was open when read but may have closed
    /// since: a row that lands after the close would be discarded with the closed run's inbox while its sender was told it was
    /// accepted (Temporal answers such a signal with an error, and so do we). So the instance row is read again after the insert (one
    /// point read): the same run still open will take the row, since a close is fenced by every inbox insert before it. A run closed
    /// by then either took the row into the history that closed it (the close committed after the insert) — <paramref name="recorded"/>
    /// finds it there — or closed first.
    /// </summary>
    private async Task<bool> DeliverAsync(
        InstanceRecord instance, string runId, InboxItem item, Func<IReadOnlyList<HistoryEvent>, bool> recorded, CancellationToken cancellationToken)
    {
        await store.AddInboxAsync(instance.WorkflowId, item, cancellationToken);
        // Sent in every case: a row that reached a closed run is discarded by the task it wakes rather than left for the sweep.
        var wake = new WorkflowTaskMessage { WorkflowId = instance.WorkflowId, RunId = runId };
        await outbox.SendOneAsync(QueueNames.Workflow(instance.TaskQueue), wake, null, cancellationToken);
        var now = await store.ReadInstanceAsync(instance.WorkflowId, cancellationToken);
        if (now is { Status: WorkflowStatus.Running } && now.RunId == runId)
        {
            return true;
        }

        if (now is { Status: WorkflowStatus.ContinuedAsNew } && now.RunId == instance.RunId && runId != instance.RunId)
        {
            return true; // still between the two runs: the new one starts with the row in its inbox
        }

        return recorded(await store.ReadHistoryAsync(instance.WorkflowId, runId, 0, cancellationToken));
    }

    public async Task<WorkflowHandle> SignalWithStartAsync(string workflowType, object? input, StartWorkflowOptions options, string signalName, object? signalArgument, string? requestId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        WorkflowIds.ValidateName(signalName, "signal name");
        WorkflowIds.ValidateRequestId(requestId, "request ID");
        var definition = registry.GetWorkflow(WorkflowIds.ValidateName(workflowType, "workflow type"));
        if (!definition.Signals.ContainsKey(signalName))
        {
            throw new InvalidWorkflowRequestException(
                $"Workflow type '{workflowType}' has no signal '{signalName}'. Its signals: {string.Join(", ", definition.Signals.Keys.Order(StringComparer.Ordinal))}. Nothing was started.");
        }

        // Checked before the start commits: a signal refused after it would leave a run started by a refused request.
        ArgumentFit.Check(PayloadJson.ToElement(signalArgument), definition.Signals[signalName], $"the argument of signal '{signalName}'");

        // The start's history is committed before the signal's inbox row, and the signal is keyed by its
        // request ID: a caller that retries after a failure here delivers it exactly once. An eager start's first task
        // runs only after the signal is written (and loads, to see it), so the run starts with the signal in hand.
        var id = requestId ?? Guid.NewGuid().ToString("N");
        for (var attempt = 1; ; attempt++)
        {
            var (handle, firstTask) = await StartAsync(
                workflowType, input, options with { IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting }, scheduledBy: null, cancellationToken);
            try
            {
                await SignalWorkflowAsync(handle.Id, signalName, signalArgument, id, cancellationToken);
                return handle;
            }
            catch (InvalidWorkflowRequestException) when (attempt < MaxSignalWithStartAttempts)
            {
                // The run found running may have closed before the signal reached it. A repeat of a request that run already
                // took is answered with it; otherwise start again: the next start finds no running run and begins one for the signal.
                if (!await ClosedSinceAsync(handle, cancellationToken))
                {
                    throw;
                }

                if (await SignalRecordedAsync(handle, id, cancellationToken))
                {
                    return handle;
                }
            }
            finally
            {
                if (firstTask is not null)
                {
                    await firstTask(false);
                }
            }
        }
    }

    /// <summary>How many times a signal-with-start starts again when the run it found closes before its signal lands.</summary>
    private const int MaxSignalWithStartAttempts = 3;

    private async Task<bool> ClosedSinceAsync(WorkflowHandle handle, CancellationToken cancellationToken) =>
        await store.ReadInstanceAsync(handle.Id, cancellationToken) is not { Status: WorkflowStatus.Running } current || current.RunId != handle.RunId;

    private async Task<bool> SignalRecordedAsync(WorkflowHandle handle, string requestId, CancellationToken cancellationToken) =>
        (await store.ReadHistoryAsync(handle.Id, handle.RunId, 0, cancellationToken)).OfType<WorkflowSignaled>().Any(s => s.RequestId == requestId);

    public Task<bool> CancelWorkflowAsync(string workflowId, string? reason = null, CancellationToken cancellationToken = default) =>
        CancelWorkflowAsync(workflowId, reason, requestId: null, cancellationToken);

    /// <summary>A cancellation request recorded with <paramref name="requestId"/> (<see cref="WorkflowCancelRequested.RequestId"/>).</summary>
    internal async Task<bool> CancelWorkflowAsync(string workflowId, string? reason, string? requestId, CancellationToken cancellationToken)
    {
        // One cancellation request per run: the key makes repeats no-ops. It goes to the workflow ID's open run, as a signal does (and
        // as in Temporal): between the two commits of a continue-as-new that is the new run, which takes it from its first task.
        // A request that reached a run only after it closed, with no run open since, is answered as a cancel of a closed run.
        var instance = await ReadAsync(workflowId, cancellationToken);
        var refused = await DeliverToOpenRunAsync(
            instance,
            runId => new InboxItem
            {
                Key = "c-" + runId, RunId = runId, Event = new WorkflowCancelRequested { Reason = reason, RequestId = requestId }, CreatedAt = time.GetUtcNow(),
            },
            history => history.Any(e => e is WorkflowCancelRequested),
            cancellationToken);
        return refused is null;
    }

    public async Task<JsonElement?> QueryWorkflowAsync(string workflowId, string queryName, object? argument, CancellationToken cancellationToken = default)
    {
        WorkflowIds.ValidateName(queryName, "query name");
        using var span = ServerlessFlowTelemetry.StartClientSpan("QueryWorkflow", workflowId, queryName);
        var instance = await ReadAsync(workflowId, cancellationToken);
        ServerlessFlowTelemetry.LinkToRun(span, instance.RunId, instance.TraceParent);
        var definition = registry.GetWorkflow(instance.WorkflowType);
        if (!definition.Queries.ContainsKey(queryName))
        {
            throw new InvalidWorkflowRequestException(
                $"Workflow type '{instance.WorkflowType}' has no query '{queryName}'. Its queries: {string.Join(", ", definition.Queries.Keys.Order(StringComparer.Ordinal))}.");
        }

        // Rebuild the state by replay in a private execution: nothing is committed, so a query never writes history.
        var history = await store.ReadHistoryAsync(workflowId, instance.RunId, 0, cancellationToken);
        var execution = new WorkflowExecution(definition, registry.SearchAttributes, workflowId, instance.RunId, instance.TaskQueue);
        execution.Replay(history);
        if (execution.HasUnrunStart)
        {
            execution.RunTask([], history[0].Timestamp);
        }

        return execution.Query(queryName, PayloadJson.ToElement(argument));
    }
}
