using ServerlessFlow.History;

namespace ServerlessFlow;

/// <summary>
/// Starts and inspects workflows from any .NET code (an API controller, a function, a console tool).
/// The HTTP API is a thin layer over this interface.
/// </summary>
public interface IWorkflowClient
{
    /// <summary>Starts a workflow and returns at once with its ID and run ID.</summary>
    /// <param name="workflowType">A registered workflow type name.</param>
    /// <param name="input">The run method's argument (any JSON-serializable value, or a <see cref="System.Text.Json.JsonElement"/>); null for none.</param>
    /// <param name="options">ID and task queue. Required so that it can never be mistaken for the input.</param>
    /// <param name="cancellationToken">Cancels the call (not the workflow).</param>
    /// <exception cref="UnknownWorkflowTypeException">The type is not registered.</exception>
    /// <exception cref="WorkflowAlreadyStartedException">A run with that ID is open.</exception>
    /// <exception cref="InvalidWorkflowRequestException">The ID, task queue or input breaks a rule.</exception>
    Task<WorkflowHandle> StartWorkflowAsync(string workflowType, object? input, StartWorkflowOptions options, CancellationToken cancellationToken = default);

    /// <summary>Describes the workflow's current (latest) run.</summary>
    /// <exception cref="WorkflowNotFoundException">No such workflow.</exception>
    Task<WorkflowDescription> DescribeWorkflowAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>Waits up to <paramref name="wait"/> for the current run to close and describes it (still Running if it did not).</summary>
    /// <exception cref="WorkflowNotFoundException">No such workflow.</exception>
    Task<WorkflowDescription> WaitForCloseAsync(string workflowId, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Reads the current run's full history.</summary>
    /// <exception cref="WorkflowNotFoundException">No such workflow.</exception>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists workflows (their current runs), newest start first, one page at a time, from the visibility
    /// index: it follows commits within milliseconds normally, and within the recovery sweep's period after a crash.
    /// </summary>
    Task<WorkflowPage> ListWorkflowsAsync(WorkflowListQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a signal: recorded durably and delivered to the workflow's handler in order, even if no
    /// worker is running now. A repeated <paramref name="requestId"/> is delivered once.
    /// </summary>
    /// <exception cref="WorkflowNotFoundException">No such workflow.</exception>
    /// <exception cref="InvalidWorkflowRequestException">The run is closed, or the workflow type has no such signal.</exception>
    Task SignalWorkflowAsync(string workflowId, string signalName, object? argument, string? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers a signal to the workflow, starting it first if no run with the ID is open — the signal
    /// is never lost between the two. A repeated <paramref name="requestId"/> delivers the signal once.
    /// </summary>
    Task<WorkflowHandle> SignalWithStartAsync(string workflowType, object? input, StartWorkflowOptions options, string signalName, object? signalArgument, string? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an update and waits for its result: the validator (if any) runs first against the workflow's
    /// current state and a rejection leaves no trace; an accepted update is recorded, applied by the
    /// workflow's handler, and its result returned. A repeated <paramref name="updateId"/> is applied once
    /// and answered with the same result.
    /// </summary>
    /// <exception cref="WorkflowUpdateFailedException">Rejected by the validator, or the handler failed.</exception>
    /// <exception cref="TimeoutException">The update was accepted but did not finish within <paramref name="wait"/>.</exception>
    Task<System.Text.Json.JsonElement?> UpdateWorkflowAsync(string workflowId, string updateName, object? argument, string? updateId = null, TimeSpan? wait = null, CancellationToken cancellationToken = default);

    /// <summary>Answers a query from the workflow's current state (running or closed) without writing anything.</summary>
    /// <exception cref="WorkflowNotFoundException">No such workflow.</exception>
    /// <exception cref="InvalidWorkflowRequestException">The workflow type has no such query.</exception>
    Task<System.Text.Json.JsonElement?> QueryWorkflowAsync(string workflowId, string queryName, object? argument, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the current run to cancel: its code sees a <see cref="WorkflowCanceledException"/> at its
    /// pending awaits and may clean up. Idempotent.
    /// </summary>
    /// <returns>False if the run had already closed.</returns>
    /// <exception cref="WorkflowNotFoundException">No such workflow.</exception>
    Task<bool> CancelWorkflowAsync(string workflowId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Terminates the current run at once: no workflow code runs, pending work is abandoned.</summary>
    /// <returns>False if the run had already closed.</returns>
    /// <exception cref="WorkflowNotFoundException">No such workflow.</exception>
    Task<bool> TerminateWorkflowAsync(string workflowId, string? reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Suspends a running workflow (see <see cref="WorkflowSuspension"/>): no workflow task runs and no new activity is scheduled
    /// until it is resumed; what arrives meanwhile is kept. Activities already running finish, and their outcomes wait too.
    /// Suspending a suspended workflow changes nothing. False when the workflow is not running.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">The reason is longer than <see cref="WorkflowSuspension.MaxReasonLength"/>.</exception>
    /// <exception cref="WorkflowNotFoundException">No workflow has that ID.</exception>
    Task<bool> SuspendWorkflowAsync(string workflowId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resumes a suspended workflow: everything kept while it was suspended is applied by its next workflow task, which starts
    /// at once. Resuming a workflow that is not suspended changes nothing. False when the workflow is not running.
    /// </summary>
    /// <exception cref="WorkflowNotFoundException">No workflow has that ID.</exception>
    Task<bool> ResumeWorkflowAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a closed workflow: its history (every run), its rows and its index entries. The ID is free again afterwards.</summary>
    /// <returns>False if there was no such workflow.</returns>
    /// <exception cref="InvalidWorkflowRequestException">The current run is open: terminate or cancel it first.</exception>
    Task<bool> PurgeWorkflowAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Purges closed workflows that match <paramref name="query"/> (read from the visibility index, so it may
    /// lag), at most <paramref name="max"/> of them; open ones are skipped. Call again with the returned token for more.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">The query asks for running workflows, or a filter is invalid.</exception>
    Task<PurgeResult> PurgeWorkflowsAsync(WorkflowListQuery query, int max, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IWorkflowClient.PurgeWorkflowsAsync"/> did.</summary>
/// <param name="Purged">Workflows deleted.</param>
/// <param name="Skipped">Matches left alone: open after all, or changed meanwhile.</param>
/// <param name="ContinuationToken">Pass it (in the query) to go on; null when every match was seen.</param>
public sealed record PurgeResult(int Purged, int Skipped, string? ContinuationToken);

/// <summary>Identifies a started run.</summary>
/// <param name="Id">The workflow ID.</param>
/// <param name="RunId">The run ID.</param>
public sealed record WorkflowHandle(string Id, string RunId);

/// <summary>Filter and paging for <see cref="IWorkflowClient.ListWorkflowsAsync"/>.</summary>
public sealed record WorkflowListQuery
{
    /// <summary>Only workflows with this status.</summary>
    public WorkflowStatus? Status { get; init; }

    /// <summary>Only workflows of this type.</summary>
    public string? WorkflowType { get; init; }

    /// <summary>Only workflows whose ID starts with this text (ordinal).</summary>
    public string? IdPrefix { get; init; }

    /// <summary>Only workflows started at or after this time.</summary>
    public DateTimeOffset? StartedAfter { get; init; }

    /// <summary>Only workflows started before this time.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>Only closed workflows, closed at or after this time.</summary>
    public DateTimeOffset? ClosedAfter { get; init; }

    /// <summary>Only closed workflows, closed before this time.</summary>
    public DateTimeOffset? ClosedBefore { get; init; }

    /// <summary>
    /// True: only suspended workflows (running, held by <see cref="IWorkflowClient.SuspendWorkflowAsync"/>); false: no filter
    /// on suspension.
    /// </summary>
    public bool Suspended { get; init; }

    /// <summary>Conditions on search attributes, all of which must hold.</summary>
    public IReadOnlyList<SearchAttributeFilter> SearchAttributes { get; init; } = [];

    /// <summary>Page size, 1–1000.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The token returned with the previous page.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>One page of workflows.</summary>
/// <param name="Items">Summaries (no input, result or failure; describe one for those).</param>
/// <param name="ContinuationToken">Pass to get the next page; null on the last page.</param>
public sealed record WorkflowPage(IReadOnlyList<WorkflowDescription> Items, string? ContinuationToken);
