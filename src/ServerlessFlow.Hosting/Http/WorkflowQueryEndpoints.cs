using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The endpoints that read workflows: describe, result (long-poll), history and list. Plain static
/// handlers that any host can call with its <see cref="HttpRequest"/>.
/// </summary>
public static class WorkflowQueryEndpoints
{
    /// <summary>Longest long-poll: a longer <c>wait</c> is shortened to this, well inside every proxy's and the Functions host's HTTP timeout.</summary>
    public static readonly TimeSpan MaxResultWait = QueryValues.MaxWait;

    /// <summary><c>GET /api/workflows/{id}</c>: the current run's description. 200; 404 for an unknown ID.</summary>
    public static Task<IResult> DescribeAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "DescribeWorkflow", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.WorkflowTemplate, "id");
            return ApiResponses.Json(await client.DescribeWorkflowAsync(id, cancellationToken));
        });

    /// <summary>
    /// <c>GET /api/workflows/{id}/result?wait={seconds}</c>: waits up to <c>wait</c> seconds (0 by default,
    /// at most <see cref="MaxResultWait"/>) for the run to close. 200 with <c>{id, runId, status, result, failure}</c>
    /// once closed, whatever the outcome; 202 with status <c>Running</c> while it is still open.
    /// </summary>
    public static Task<IResult> GetResultAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "GetWorkflowResult", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.ResultTemplate, "id");
            var wait = QueryValues.Wait(request, whenAbsent: TimeSpan.Zero);
            var run = wait > TimeSpan.Zero
                ? await client.WaitForCloseAsync(id, wait, cancellationToken)
                : await client.DescribeWorkflowAsync(id, cancellationToken);
            var body = new WorkflowResultResponse(run.Id, run.RunId, run.Status, run.Result, run.Failure);
            return ApiResponses.Json(body, run.Status == WorkflowStatus.Running ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
        });

    /// <summary><c>GET /api/workflows/{id}/history</c>: the current run's events, oldest first. 200; 404 for an unknown ID.</summary>
    public static Task<IResult> GetHistoryAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "GetWorkflowHistory", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.HistoryTemplate, "id");
            return ApiResponses.Json(new WorkflowHistoryResponse(id, await client.GetHistoryAsync(id, cancellationToken)));
        });

    /// <summary>
    /// <c>GET</c> or <c>POST /api/workflows/{id}/queries/{name}</c>: answers a query from the workflow's current
    /// state, running or closed; a POST body is the query's argument. 200 with <c>{id, name, result}</c>;
    /// 404 for an unknown ID; 400 when the workflow has no such query.
    /// </summary>
    public static Task<IResult> QueryAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "QueryWorkflow", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.QueryTemplate, "id");
            var name = RequestTarget.PathParameter(request, ApiRoutes.QueryTemplate, "name");
            var argument = HttpMethods.IsPost(request.Method) ? await RequestPayload.ReadJsonAsync(request, cancellationToken) : null;
            try
            {
                var result = await client.QueryWorkflowAsync(id, name, argument, cancellationToken);
                return ApiResponses.Json(new QueryWorkflowResponse(id, name, result));
            }
            catch (JsonException e) when (argument is not null)
            {
                throw RequestPayload.ArgumentMismatch($"query '{name}'", e);
            }
        });

    /// <summary>
    /// <c>GET /api/workflows?status=&amp;type=&amp;idPrefix=&amp;startedAfter=&amp;startedBefore=&amp;closedAfter=&amp;closedBefore=&amp;sa.{Name}[.{op}]=&amp;pageSize=&amp;continuationToken=</c>:
    /// one page of workflows, newest first, from the visibility index. 200 with <c>{items, continuationToken}</c>; 400 for an
    /// unknown status, a malformed date or search-attribute filter (or one the registered type does not take), or a page size outside 1–1000.
    /// </summary>
    public static Task<IResult> ListAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "ListWorkflows", async (client, cancellationToken) =>
        {
            var query = WorkflowListFilters.Read(request) with { PageSize = QueryValues.PageSize(request) };
            return ApiResponses.Json(await client.ListWorkflowsAsync(query, cancellationToken));
        });
}
