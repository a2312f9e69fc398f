using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFlow.History;

/// <summary>The run began: first event of every history.</summary>
public sealed record WorkflowStarted : HistoryEvent
{
    /// <summary>The workflow type name.</summary>
    public required string WorkflowType { get; init; }

    /// <summary>The task queue the workflow runs on.</summary>
    public required string TaskQueue { get; init; }

    /// <summary>The run method's argument as JSON, if any.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>Seed of the workflow's deterministic random numbers and GUIDs.</summary>
    public required int RandomSeed { get; init; }

    /// <summary>Unindexed metadata given at start; null when none was.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Memo { get; init; }

    /// <summary>The search attributes the run started with; null when none.</summary>
    public IReadOnlyDictionary<string, JsonElement>? SearchAttributes { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the start's span: every span of the run (workflow tasks, activity attempts) is its
    /// child, so the run is one trace across workers, retries and crashes. Null when the start was not traced.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// How long after this event the first workflow task was due (<see cref="StartWorkflowOptions.StartDelay"/>); null for a run that
    /// started at once. The run's code sees <see cref="Workflow.UtcNow"/> as the start plus this delay until its first await.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public TimeSpan? StartDelay { get; init; }

    /// <summary>
    /// For a run started by continue-as-new: the request IDs of the signals the runs before it applied (the most recent ones), so that
    /// a retry of a signal an earlier run of the chain applied is acknowledged and not applied again. Null for a first run.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public IReadOnlyList<string>? PriorSignalRequestIds { get; init; }

    /// <summary>When the run's code begins: the start plus its <see cref="StartDelay"/>.</summary>
    [JsonIgnore]
    public DateTimeOffset BeginsAt => Timestamp + (StartDelay ?? TimeSpan.Zero);
}

/// <summary>The workflow code changed its search attributes (<c>Workflow.UpsertSearchAttributes</c>).</summary>
public sealed record SearchAttributesUpserted : HistoryEvent
{
    /// <summary>The new values by name, normalized; a null value removed the attribute.</summary>
    public required IReadOnlyDictionary<string, JsonElement?> Changes { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => $"SearchAttributesUpserted ({string.Join(", ", Changes.Keys)})";
}

/// <summary>The run method returned; last event of the run.</summary>
public sealed record WorkflowCompleted : HistoryEvent
{
    /// <summary>The result as JSON; null when the run method returns nothing.</summary>
    public JsonElement? Result { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "WorkflowCompleted";
}

/// <summary>The run method threw; last event of the run.</summary>
public sealed record WorkflowFailed : HistoryEvent
{
    /// <summary>The failure.</summary>
    public required FailureInfo Failure { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "WorkflowFailed";
}

/// <summary>The run was terminated from outside; no workflow code ran for it. Last event of the run.</summary>
public sealed record WorkflowTerminated : HistoryEvent
{
    /// <summary>The reason given by whoever terminated it.</summary>
    public string? Reason { get; init; }
}

/// <summary>The workflow code passed a versioning marker (<c>Workflow.Patched</c> or <c>Workflow.DeprecatePatch</c>).</summary>
public sealed record MarkerRecorded : HistoryEvent
{
    /// <summary>The patch ID.</summary>
    public required string PatchId { get; init; }

    /// <summary>True when recorded by <c>DeprecatePatch</c>.</summary>
    public bool Deprecated { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => $"MarkerRecorded '{PatchId}'";
}

/// <summary>Someone asked the workflow to cancel; the code sees it at its pending awaits.</summary>
public sealed record WorkflowCancelRequested : HistoryEvent
{
    /// <summary>Why, if the requester said.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// The request that made it when another workflow asked (its requesting run and event), so that a repeat of that request knows
    /// it was made; null for a request from a client.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? RequestId { get; init; }
}

/// <summary>The workflow ended because of a cancellation request; last event of the run.</summary>
public sealed record WorkflowCanceled : HistoryEvent
{
    /// <summary>The reason given with the cancellation request, if any.</summary>
    public string? Reason { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "WorkflowCanceled";
}

/// <summary>The run ended by continuing as a new run with the same workflow ID; last event of the run.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Temporal's event name, which users know.")]
public sealed record WorkflowContinuedAsNew : HistoryEvent
{
    /// <summary>The new run's ID.</summary>
    public required string NewRunId { get; init; }

    /// <summary>The new run's input.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>
    /// The request IDs of the signals this run and those before it applied (the most recent ones), handed to the new run
    /// (<see cref="WorkflowStarted.PriorSignalRequestIds"/>). Null when there were none.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public IReadOnlyList<string>? SignalRequestIds { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override bool IsCommand => true;

    /// <inheritdoc />
    public override string Describe() => "WorkflowContinuedAsNew";
}
