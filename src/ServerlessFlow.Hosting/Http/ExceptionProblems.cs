using Microsoft.AspNetCore.Http;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Hosting.DeadLetters;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Hosting.Http;

/// <summary>Translates the exceptions the client API documents into problem details, in one place.</summary>
internal static class ExceptionProblems
{
    /// <summary>Seconds a client should wait before retrying after a storage failure.</summary>
    private const int StorageRetryAfterSeconds = 5;

    /// <summary>The problem for <paramref name="exception"/>, or null when it is not an expected failure (a bug: the caller logs it and answers 500).</summary>
    public static IResult? TryMap(Exception exception, HttpResponse response) => exception switch
    {
        UnknownWorkflowTypeException e => ApiProblems.Create(
            StatusCodes.Status404NotFound, ApiProblems.UnknownWorkflowType, "Unknown workflow type", e.Message,
            new Dictionary<string, object?> { ["workflowType"] = e.WorkflowType }),
        WorkflowNotFoundException e => ApiProblems.Create(
            StatusCodes.Status404NotFound, ApiProblems.WorkflowNotFound, "Workflow not found", e.Message,
            new Dictionary<string, object?> { ["workflowId"] = e.WorkflowId }),
        WorkflowAlreadyStartedException e => ApiProblems.Create(
            StatusCodes.Status409Conflict, ApiProblems.WorkflowAlreadyStarted, "Workflow already started", e.Message,
            new Dictionary<string, object?> { ["workflowId"] = e.WorkflowId, ["runId"] = e.RunId }),
        ScheduleNotFoundException e => ApiProblems.Create(
            StatusCodes.Status404NotFound, ApiProblems.ScheduleNotFound, "Schedule not found",
            $"{e.Message} List the schedules with GET /api/schedules, or create it with POST /api/schedules/{{id}}.",
            new Dictionary<string, object?> { ["scheduleId"] = e.ScheduleId }),
        ScheduleAlreadyExistsException e => ApiProblems.Create(
            StatusCodes.Status409Conflict, ApiProblems.ScheduleAlreadyExists, "Schedule already exists", e.Message,
            new Dictionary<string, object?> { ["scheduleId"] = e.ScheduleId }),
        ScheduleChangedException e => ApiProblems.Create(
            StatusCodes.Status412PreconditionFailed, ApiProblems.ScheduleChanged, "Schedule changed", e.Message,
            new Dictionary<string, object?> { ["scheduleId"] = e.ScheduleId }),
        InvalidWorkflowRequestException e => ApiProblems.Create(
            StatusCodes.Status400BadRequest, ApiProblems.InvalidRequest, "Invalid request", e.Message),
        PayloadTooLargeException e => TooLarge(e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => TooLarge(e.Message),
        BadHttpRequestException e => ApiProblems.Create(e.StatusCode, ApiProblems.InvalidRequest, "Bad request", e.Message),
        StoreException { IsTooLarge: true } e => TooLarge(e.Message),
        StoreException e => StorageUnavailable(response, e.Message),
        Codec.PayloadCodecException e => ApiProblems.Create(
            StatusCodes.Status500InternalServerError, ApiProblems.PayloadUndecodable, "Payload cannot be decoded",
            $"{e.Message} This server's payload codec settings do not match the data; nothing was changed."),
        DeadLettersUnavailableException e => ApiProblems.Create(
            StatusCodes.Status501NotImplemented, ApiProblems.DeadLettersUnavailable, "Dead letters unavailable", e.Message),
        _ => null,
    };

    /// <summary>
    /// The problem for an update that failed: 400 when its validator rejected it (nothing was recorded), 422 when it
    /// was recorded and its handler failed. <paramref name="updateId"/> is what a retry must send to get the same answer.
    /// </summary>
    public static IResult UpdateFailed(WorkflowUpdateFailedException exception, string updateId)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["workflowId"] = exception.WorkflowId,
            ["update"] = exception.UpdateName,
            ["updateId"] = updateId,
            // The same JSON as history and describe show, whatever the host's own serializer settings.
            ["failure"] = PayloadJson.ToElement(exception.Failure),
        };
        return exception.Rejected
            ? ApiProblems.Create(
                StatusCodes.Status400BadRequest, ApiProblems.UpdateRejected, "Update rejected",
                $"{exception.Message} The validator rejected it before anything was recorded: the update left no trace in the workflow. " +
                "Change the argument (or wait for the workflow's state to allow it) and send it again.",
                extensions)
            : ApiProblems.Create(
                StatusCodes.Status422UnprocessableEntity, ApiProblems.UpdateFailed, "Update failed",
                $"{exception.Message} The update was accepted and recorded, and its handler failed; the workflow goes on. " +
                $"Calling again with updateId '{updateId}' returns this failure again; send a new updateId to try anew.",
                extensions);
    }

    private static IResult TooLarge(string detail) => ApiProblems.Create(
        StatusCodes.Status413PayloadTooLarge, ApiProblems.PayloadTooLarge, "Payload too large", detail);

    private static IResult StorageUnavailable(HttpResponse response, string detail)
    {
        response.Headers.RetryAfter = StorageRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.Create(
            StatusCodes.Status503ServiceUnavailable, ApiProblems.StorageUnavailable, "Storage unavailable",
            $"Workflow storage failed: {detail} Retry later; if it persists, check the storage account and the app's connection settings.");
    }
}
