using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServerlessFlow.History;

namespace ServerlessFlow.Hosting.Http;

/// <summary>Writes response bodies with the payload JSON settings, so that history and payloads read the same everywhere.</summary>
internal static class ApiResponses
{
    public static IResult Json<T>(T body, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(body, PayloadJson.Options, contentType: null, statusCode: status);
}

/// <summary>Answer of a start: the workflow ID (generated when none was given) and the run ID.</summary>
internal sealed record StartWorkflowResponse(string Id, string RunId);

/// <summary>Answer of the result endpoint: the status, and the result or the failure once closed.</summary>
internal sealed record WorkflowResultResponse(string Id, string RunId, WorkflowStatus Status, JsonElement? Result, FailureInfo? Failure);

/// <summary>Answer of the history endpoint: the current run's events, oldest first.</summary>
internal sealed record WorkflowHistoryResponse(string Id, IReadOnlyList<HistoryEvent> Events);

/// <summary>Answer of a successful terminate.</summary>
internal sealed record TerminateWorkflowResponse(string Id, WorkflowStatus Status);

/// <summary>Answer of a signal: it is recorded and will be delivered.</summary>
internal sealed record SignalWorkflowResponse(string Id, string Signal);

/// <summary>Answer of a query.</summary>
internal sealed record QueryWorkflowResponse(string Id, string Query, JsonElement? Result);

/// <summary>Answer of a signal-with-start: the run that got the signal (started by this call or already open).</summary>
internal sealed record SignalWithStartResponse(string Id, string RunId, string Signal);

/// <summary>Answer of an update that finished: its result.</summary>
internal sealed record UpdateWorkflowResponse(string Id, string Update, string UpdateId, JsonElement? Result);

/// <summary>Answer of an update that was accepted but has not finished: which update ID to call again with.</summary>
internal sealed record UpdatePendingResponse(string Id, string Update, string UpdateId, string Detail);

/// <summary>Answer of a cancel: the request is recorded; the run closes when its code has handled it.</summary>
internal sealed record CancelWorkflowResponse(string Id, string? Reason);

/// <summary>Answer of a replay: the message is back on its queue.</summary>
internal sealed record ReplayDeadLetterResponse(string Id, string Queue, string MessageId);
