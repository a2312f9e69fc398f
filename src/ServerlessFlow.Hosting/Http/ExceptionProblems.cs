using Microsoft.AspNetCore.Http;
using ServerlessFlow.Engine.Backend;

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
        InvalidWorkflowRequestException e => ApiProblems.Create(
            StatusCodes.Status400BadRequest, ApiProblems.InvalidRequest, "Invalid request", e.Message),
        PayloadTooLargeException e => TooLarge(e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => TooLarge(e.Message),
        BadHttpRequestException e => ApiProblems.Create(e.StatusCode, ApiProblems.InvalidRequest, "Bad request", e.Message),
        StoreException { IsTooLarge: true } e => TooLarge(e.Message),
        StoreException e => StorageUnavailable(response, e.Message),
        _ => null,
    };

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
