using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The endpoints that change workflows: start and terminate. Plain static handlers that any host can
/// call with its <see cref="HttpRequest"/>; they take their services from <c>HttpContext.RequestServices</c>.
/// </summary>
public static class WorkflowCommandEndpoints
{
    /// <summary>
    /// <c>POST /api/workflows/{type}?id=&amp;taskQueue=</c>: starts a workflow with the body as its input (an
    /// empty body means no input). 202 with a <c>Location</c> header and <c>{id, runId}</c>; 404 for an
    /// unknown type, 409 when a run with that ID is open, 400 for malformed JSON or a bad ID, 413 over 2 MB.
    /// </summary>
    public static Task<IResult> StartAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "StartWorkflow", async (client, cancellationToken) =>
        {
            var type = RequestTarget.PathParameter(request, ApiRoutes.StartTemplate, "type");
            var options = new StartWorkflowOptions
            {
                Id = AddressableId(RequestTarget.QueryParameter(request, "id")),
                TaskQueue = RequestTarget.QueryParameter(request, "taskQueue"),
            };
            var input = await RequestPayload.ReadJsonAsync(request, cancellationToken);
            var handle = await client.StartWorkflowAsync(type, input, options, cancellationToken);
            request.HttpContext.Response.Headers.Location = WorkflowLocation(request, handle.Id);
            return ApiResponses.Json(new StartWorkflowResponse(handle.Id, handle.RunId), StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// <c>POST /api/workflows/{id}/signals/{name}?requestId=</c>: records a signal with the body as its argument
    /// (an empty body means none). 202 once it is durably recorded; a repeated <c>requestId</c> is delivered once.
    /// 404 for an unknown ID; 400 when the run is closed or the workflow has no such signal.
    /// </summary>
    public static Task<IResult> SignalAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "SignalWorkflow", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.SignalTemplate, "id");
            var name = RequestTarget.PathParameter(request, ApiRoutes.SignalTemplate, "name");
            var requestId = RequestTarget.QueryParameter(request, "requestId");
            var argument = await RequestPayload.ReadJsonAsync(request, cancellationToken);
            await client.SignalWorkflowAsync(id, name, argument, requestId, cancellationToken);
            return ApiResponses.Json(new SignalWorkflowResponse(id, name), StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// <c>POST /api/workflows/{id}/terminate?reason=</c>: terminates the current run; no workflow code runs.
    /// 200 with <c>{id, status}</c>; 404 for an unknown ID; 409 when the run has already closed.
    /// </summary>
    public static Task<IResult> TerminateAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "TerminateWorkflow", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.TerminateTemplate, "id");
            var reason = RequestTarget.QueryParameter(request, "reason");
            if (await client.TerminateWorkflowAsync(id, reason, cancellationToken))
            {
                return ApiResponses.Json(new TerminateWorkflowResponse(id, WorkflowStatus.Terminated));
            }

            var current = await client.DescribeWorkflowAsync(id, cancellationToken);
            return ApiProblems.Create(
                StatusCodes.Status409Conflict, ApiProblems.WorkflowClosed, "Workflow already closed",
                $"Workflow '{id}' has already closed as {current.Status} (run {current.RunId}); there is nothing to terminate.",
                new Dictionary<string, object?> { ["workflowId"] = id, ["runId"] = current.RunId, ["workflowStatus"] = current.Status.ToString() });
        });

    /// <summary>Refuses the IDs a URL path cannot carry: clients and servers remove "." and ".." segments before routing.</summary>
    private static string? AddressableId(string? id) => id is "." or ".."
        ? throw new InvalidWorkflowRequestException($"The workflow ID '{id}' cannot be addressed in a URL path (it is a dot segment). Choose another ID.")
        : id;

    /// <summary>The URL of the started workflow: the start URL with its last segment (the type) replaced by the escaped ID.</summary>
    private static string WorkflowLocation(HttpRequest request, string workflowId)
    {
        var path = (request.PathBase + request.Path).Value ?? "";
        path = path.TrimEnd('/');
        var collection = path[..(path.LastIndexOf('/') + 1)];
        return collection + Uri.EscapeDataString(workflowId);
    }
}
