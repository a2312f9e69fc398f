using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreHistoryEvent = DurableTask.Core.History.HistoryEvent;


namespace ServerlessFlow.DurableTask;

/// <summary>
/// Durable Task's client over <see cref="IWorkflowClient"/>: orchestrations are workflows (the name is the workflow type),
/// raised events are signals, instance IDs are workflow IDs. Built by <see cref="DurableTaskClientBuilderExtensions.UseServerlessFlow"/>.
/// </summary>
internal sealed class ServerlessFlowDurableTaskClient : DurableTaskClient
{
    /// <summary>One long-poll of a wait: short enough to notice cancellation promptly, long enough to cost little.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(30);

    /// <summary>How often a wait for a start looks again; a workflow that exists is already running.</summary>
    private static readonly TimeSpan StartPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Workflows purged per call of a bulk purge.</summary>
    private const int PurgeBatch = 100;

    private readonly IWorkflowClient workflows;
    private readonly TimeProvider time;

    /// <summary>Created by the Durable Task client builder with the builder's name; the rest comes from dependency injection.</summary>
    public ServerlessFlowDurableTaskClient(string name, IWorkflowClient workflows, TimeProvider? time = null)
        : base(name)
    {
        this.workflows = workflows;
        this.time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        if (options?.Version is not null)
        {
            throw new NotSupportedException("ServerlessFlow workflows are not versioned by name: keep one type and use Workflow.Patched for changes.");
        }

        if (options?.DedupeStatuses is { Count: > 0 })
        {
            throw new NotSupportedException("Dedupe statuses are not supported: use IWorkflowClient.StartWorkflowAsync with StartWorkflowOptions.IdReusePolicy.");
        }

        // A start time ahead is a start delay (the run exists at once; its code begins then); one in the past starts now.
        var now = time.GetUtcNow();
        var start = new StartWorkflowOptions
        {
            Id = options?.InstanceId,
            Memo = options?.Tags?.ToDictionary(t => t.Key, t => (object?)t.Value, StringComparer.Ordinal),
            StartDelay = options?.StartAt is { } startAt && startAt > now ? startAt - now : null,
        };
        var handle = await workflows.StartWorkflowAsync(orchestratorName.Name, input, start, cancellation);
        return handle.Id;
    }

    /// <inheritdoc />
    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        workflows.SignalWorkflowAsync(instanceId, eventName, eventPayload, requestId: null, cancellation);

    /// <inheritdoc />
    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        // A ServerlessFlow workflow runs from the moment it exists, unless it was given a start time: then it starts at that time.
        while (true)
        {
            var described = await DescribeOrNullAsync(instanceId, cancellation);
            var wait = described?.FirstTaskDueAt is { } dueAt && described.Status == WorkflowStatus.Running ? dueAt - time.GetUtcNow() : TimeSpan.Zero;
            if (described is not null && wait <= TimeSpan.Zero)
            {
                return OrchestrationMapping.Metadata(described, getInputsAndOutputs);
            }

            // Looked at again at least every WaitSlice: a terminate, or a clock that moved, ends the wait sooner.
            await Task.Delay(wait < StartPoll ? StartPoll : wait > WaitSlice ? WaitSlice : wait, time, cancellation);
        }
    }

    /// <inheritdoc />
    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var described = await workflows.WaitForCloseAsync(instanceId, WaitSlice, cancellation);
            if (described.Status is not WorkflowStatus.Running and not WorkflowStatus.ContinuedAsNew)
            {
                return OrchestrationMapping.Metadata(described, getInputsAndOutputs);
            }
        }
    }

    /// <inheritdoc />
    public override async Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        // Durable Task's "output" of a termination is ServerlessFlow's reason; child workflows follow their parent close policy.
        var reason = options?.Output switch
        {
            null => null,
            string text => text,
            var output => OrchestrationMapping.Converter.Serialize(output),
        };
        await workflows.TerminateWorkflowAsync(instanceId, reason, cancellation);
    }

    /// <inheritdoc />
    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        workflows.SuspendWorkflowAsync(instanceId, reason, cancellation);

    /// <inheritdoc />
    /// <remarks>The reason is not kept: ServerlessFlow records why a workflow was suspended, not why it was resumed.</remarks>
    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        workflows.ResumeWorkflowAsync(instanceId, cancellation);

    /// <inheritdoc />
    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        return await DescribeOrNullAsync(instanceId, cancellation) is { } described ? OrchestrationMapping.Metadata(described, getInputsAndOutputs) : null;
    }

    private async Task<WorkflowDescription?> DescribeOrNullAsync(string instanceId, CancellationToken cancellation)
    {
        try
        {
            return await workflows.DescribeWorkflowAsync(instanceId, cancellation);
        }
        catch (WorkflowNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Filters by status, creation time and ID prefix on the server (several statuses at once are matched here, among those they stand for).
    /// Task hub names do not apply (one app, one hub). With <see cref="OrchestrationQuery.FetchInputsAndOutputs"/> each item is
    /// described (one more read per item).
    /// </remarks>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        filter ??= new OrchestrationQuery();
        return Pageable.Create<OrchestrationMetadata>(async (continuation, pageSize, cancellation) =>
        {
            var wanted = filter.Statuses?.ToHashSet();
            var query = new WorkflowListQuery
            {
                Status = SingleServerStatus(wanted),
                Suspended = wanted is { Count: > 0 } && wanted.All(status => status == OrchestrationRuntimeStatus.Suspended),
                IdPrefix = filter.InstanceIdPrefix,
                StartedAfter = filter.CreatedFrom,
                StartedBefore = filter.CreatedTo,
                PageSize = pageSize ?? filter.PageSize,
                ContinuationToken = continuation ?? filter.ContinuationToken,
            };
            var page = await workflows.ListWorkflowsAsync(query, cancellation);
            var items = new List<OrchestrationMetadata>();
            foreach (var summary in page.Items.Where(w => wanted is null || wanted.Count == 0 || wanted.Contains(OrchestrationMapping.Status(w.Status, w.Suspension))))
            {
                items.Add(filter.FetchInputsAndOutputs
                    ? await GetInstancesAsync(summary.Id, getInputsAndOutputs: true, cancellation) ?? OrchestrationMapping.Metadata(summary, withPayloads: false)
                    : OrchestrationMapping.Metadata(summary, withPayloads: false));
            }

            return new Page<OrchestrationMetadata>(items, page.ContinuationToken);
        });
    }

    /// <inheritdoc />
    /// <remarks>Only a closed workflow is purged (a running one counts 0). Child workflows are purged on their own.</remarks>
    public override async Task<Microsoft.DurableTask.Client.PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        try
        {
            return new(await workflows.PurgeWorkflowAsync(instanceId, cancellation) ? 1 : 0);
        }
        catch (WorkflowOpenException)
        {
            return new(0); // Durable Task purges terminal instances only and reports a running one as nothing purged.
        }
    }

    /// <inheritdoc />
    /// <remarks>Closed workflows only, matched by creation time and status; <see cref="PurgeInstancesFilter.Timeout"/> bounds the work and IsComplete tells whether it finished.</remarks>
    public override async Task<Microsoft.DurableTask.Client.PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (filter.Timeout is { } timeout)
        {
            budget.CancelAfter(timeout);
        }

        // No statuses: every closed workflow (a purge never touches a running one); statuses that stand for none: nothing.
        List<WorkflowStatus?> statuses = filter.Statuses?.Any() == true ? [.. filter.Statuses.SelectMany(ServerStatuses).Distinct().Cast<WorkflowStatus?>()] : [null];
        var purged = 0;
        try
        {
            foreach (var status in statuses)
            {
                var query = new WorkflowListQuery { Status = status, StartedAfter = filter.CreatedFrom, StartedBefore = filter.CreatedTo };
                do
                {
                    var result = await workflows.PurgeWorkflowsAsync(query, PurgeBatch, budget.Token);
                    purged += result.Purged;
                    query = query with { ContinuationToken = result.ContinuationToken };
                }
                while (query.ContinuationToken is not null);
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new Microsoft.DurableTask.Client.PurgeResult(purged, isComplete: false);
        }

        return new Microsoft.DurableTask.Client.PurgeResult(purged, isComplete: true);
    }

    /// <inheritdoc />
    public override async Task<IList<CoreHistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        var history = await workflows.GetHistoryAsync(instanceId, cancellation);
        return [.. history.Select(HistoryMapping.ToDurableTask)];
    }

    /// <inheritdoc />
    public override Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException("Restart is not supported: read the input with GetInstanceAsync(id, getInputsAndOutputs: true) and call ScheduleNewOrchestrationInstanceAsync.");

    /// <inheritdoc />
    public override Task RewindInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("Rewind is not supported: a failed ServerlessFlow workflow is closed; start a new run, or fix the code so that retries or compensation handle the failure.");

    /// <inheritdoc />
    public override Task<Page<string>> ListInstanceIdsAsync(
        IEnumerable<OrchestrationRuntimeStatus>? runtimeStatus = null, DateTimeOffset? completedTimeFrom = null, DateTimeOffset? completedTimeTo = null,
        int pageSize = OrchestrationQuery.DefaultPageSize, string? lastInstanceKey = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("ListInstanceIdsAsync is not supported: use GetAllInstancesAsync, or IWorkflowClient.ListWorkflowsAsync with ClosedAfter/ClosedBefore.");

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The one status the server can filter on, when the wanted statuses map to exactly one; else null (filtered here).</summary>
    private static WorkflowStatus? SingleServerStatus(HashSet<OrchestrationRuntimeStatus>? wanted) =>
        wanted?.SelectMany(ServerStatuses).Distinct().ToList() is [var only] ? only : null;

    /// <summary>The ServerlessFlow statuses a Durable Task status stands for (Suspended lives among the running; nothing is ever Pending).</summary>
    private static IEnumerable<WorkflowStatus> ServerStatuses(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Running => [WorkflowStatus.Running, WorkflowStatus.ContinuedAsNew],
        OrchestrationRuntimeStatus.Suspended => [WorkflowStatus.Running],
        OrchestrationRuntimeStatus.Completed => [WorkflowStatus.Completed],
        OrchestrationRuntimeStatus.Failed => [WorkflowStatus.Failed, WorkflowStatus.TimedOut],
        OrchestrationRuntimeStatus.Terminated => [WorkflowStatus.Terminated, WorkflowStatus.Canceled],
        _ => [], // Pending (never), and the obsolete Canceled and ContinuedAsNew, which this client never reports.
    };
}
