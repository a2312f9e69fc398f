using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;

namespace ServerlessFlow.DurableTask;

/// <summary>What ServerlessFlow's workflows look like through Durable Task's types, and back.</summary>
internal static class OrchestrationMapping
{
    /// <summary>Reads and writes payloads as the engine stores them (web defaults: camelCase, case-insensitive reads).</summary>
    public static DataConverter Converter { get; } = new JsonDataConverter(PayloadJson.Options);

    /// <summary>
    /// Durable Task's status of a workflow: a suspended run is <see cref="OrchestrationRuntimeStatus.Suspended"/>; a run that timed
    /// out is <see cref="OrchestrationRuntimeStatus.Failed"/> (Durable Task has no timed-out status; the failure says so); a run
    /// canceled from outside is <see cref="OrchestrationRuntimeStatus.Terminated"/> (Durable Task's Canceled is obsolete and unused);
    /// a run that continued as new is Running (its next run starts at once, as Durable Task reports it).
    /// ServerlessFlow has no Pending status: a workflow runs from the moment it is started, and one given a start time
    /// (<see cref="StartOrchestrationOptions.StartAt"/>) is Running, with none of its code run, until then (as in Temporal).
    /// </summary>
    public static OrchestrationRuntimeStatus Status(WorkflowStatus status, WorkflowSuspension? suspension) => status switch
    {
        WorkflowStatus.Running => suspension is null ? OrchestrationRuntimeStatus.Running : OrchestrationRuntimeStatus.Suspended,
        WorkflowStatus.ContinuedAsNew => OrchestrationRuntimeStatus.Running,
        WorkflowStatus.Completed => OrchestrationRuntimeStatus.Completed,
        WorkflowStatus.Failed or WorkflowStatus.TimedOut => OrchestrationRuntimeStatus.Failed,
        WorkflowStatus.Canceled or WorkflowStatus.Terminated => OrchestrationRuntimeStatus.Terminated,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A workflow status this client does not know."),
    };

    /// <summary>The metadata Durable Task's client returns; inputs and outputs only when asked for (they are read by describe).</summary>
    public static OrchestrationMetadata Metadata(WorkflowDescription workflow, bool withPayloads) => new(workflow.Type, workflow.Id)
    {
        RuntimeStatus = Status(workflow.Status, workflow.Suspension),
        CreatedAt = workflow.CreatedAt,
        LastUpdatedAt = workflow.ClosedAt ?? workflow.Suspension?.SuspendedAt ?? workflow.CreatedAt,
        SerializedInput = withPayloads ? Json(workflow.Input) : null,
        SerializedOutput = withPayloads ? Output(workflow) : null,
        FailureDetails = workflow.Status is WorkflowStatus.Failed or WorkflowStatus.TimedOut or WorkflowStatus.Canceled ? Failure(workflow.Failure) : null,
        Tags = (workflow.Memo ?? new Dictionary<string, JsonElement>())
            .Where(m => m.Value.ValueKind == JsonValueKind.String).ToDictionary(m => m.Key, m => m.Value.GetString()!, StringComparer.Ordinal),
        DataConverter = Converter,
    };

    /// <summary>A failure with its cause chain, as Durable Task reports it.</summary>
    public static TaskFailureDetails? Failure(FailureInfo? failure) =>
        failure is null ? null : new TaskFailureDetails(failure.Type, failure.Message, failure.StackTrace, Failure(failure.Cause), Properties: null);

    /// <summary>The JSON text of a payload; null for none.</summary>
    public static string? Json(JsonElement? payload) => payload is { ValueKind: not JsonValueKind.Undefined } element ? element.GetRawText() : null;

    /// <summary>A completed run's result; a terminated run's reason, which Durable Task reports as the output of a termination.</summary>
    private static string? Output(WorkflowDescription workflow) => workflow.Status switch
    {
        WorkflowStatus.Completed => Json(workflow.Result),
        WorkflowStatus.Terminated when workflow.Failure?.Message is { } reason => JsonSerializer.Serialize(reason, PayloadJson.Options),
        _ => null,
    };
}
