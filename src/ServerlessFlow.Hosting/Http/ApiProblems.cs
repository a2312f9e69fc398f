using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// RFC 9457 problem details for every error the API returns. Each problem type is a URN whose last
/// part is documented in docs/http-api.md; clients switch on it rather than on the message.
/// </summary>
public static class ApiProblems
{
    /// <summary>The prefix of every problem type.</summary>
    public const string TypePrefix = "urn:serverlessflow:problem:";

    /// <summary>The request is malformed: bad JSON, a bad ID or task queue, a bad query parameter.</summary>
    public const string InvalidRequest = TypePrefix + "invalid-request";

    /// <summary>No workflow type with that name is registered.</summary>
    public const string UnknownWorkflowType = TypePrefix + "unknown-workflow-type";

    /// <summary>No workflow with that ID exists.</summary>
    public const string WorkflowNotFound = TypePrefix + "workflow-not-found";

    /// <summary>A run with that ID is open, so another cannot start.</summary>
    public const string WorkflowAlreadyStarted = TypePrefix + "workflow-already-started";

    /// <summary>The workflow has already closed, so it cannot be canceled or terminated.</summary>
    public const string WorkflowClosed = TypePrefix + "workflow-closed";

    /// <summary>The workflow's current run is open, so it cannot be purged.</summary>
    public const string WorkflowOpen = TypePrefix + "workflow-open";

    /// <summary>No schedule with that ID exists.</summary>
    public const string ScheduleNotFound = TypePrefix + "schedule-not-found";

    /// <summary>A schedule with that ID exists already.</summary>
    public const string ScheduleAlreadyExists = TypePrefix + "schedule-already-exists";

    /// <summary>The schedule changed since the ETag the request gave in <c>If-Match</c>.</summary>
    public const string ScheduleChanged = TypePrefix + "schedule-changed";

    /// <summary>An update's validator rejected it; nothing was recorded.</summary>
    public const string UpdateRejected = TypePrefix + "update-rejected";

    /// <summary>An update was accepted and recorded, and its handler failed.</summary>
    public const string UpdateFailed = TypePrefix + "update-failed";

    /// <summary>No dead letter with that ID exists (any more).</summary>
    public const string DeadLetterNotFound = TypePrefix + "dead-letter-not-found";

    /// <summary>The server's backend keeps no dead letters the API can read.</summary>
    public const string DeadLettersUnavailable = TypePrefix + "dead-letters-unavailable";

    /// <summary>No route of the API takes the request's path.</summary>
    public const string RouteNotFound = TypePrefix + "route-not-found";

    /// <summary>A route takes the request's path, with another method (the <c>Allow</c> header lists them).</summary>
    public const string MethodNotAllowed = TypePrefix + "method-not-allowed";

    /// <summary>The request body is over the payload limit.</summary>
    public const string PayloadTooLarge = TypePrefix + "payload-too-large";

    /// <summary>Storage failed or is unreachable; retry later.</summary>
    public const string StorageUnavailable = TypePrefix + "storage-unavailable";

    /// <summary>A stored payload cannot be decoded with this server's payload codec and keys (a configuration problem of the server).</summary>
    public const string PayloadUndecodable = TypePrefix + "payload-undecodable";

    /// <summary>An unexpected fault in the server; the server log has the details.</summary>
    public const string InternalError = TypePrefix + "internal-error";

    /// <summary>Creates a problem result with content type <c>application/problem+json</c>.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="type">One of the type constants of this class.</param>
    /// <param name="title">A short, fixed summary of the problem type.</param>
    /// <param name="detail">What went wrong this time, and how to fix it.</param>
    /// <param name="extensions">Extra members, such as the workflow ID.</param>
    public static IResult Create(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type, extensions: extensions);
}
