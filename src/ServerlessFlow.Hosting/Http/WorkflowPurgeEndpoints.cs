using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The endpoints that delete closed workflows — their history (every run), their rows and their index entries — before
/// retention would: one by ID, or those matching the list filters. Open workflows are never deleted.
/// </summary>
public static class WorkflowPurgeEndpoints
{
    /// <summary>Most workflows one purge-by-filter request deletes.</summary>
    public const int MaxPurgeCount = 1000;

    /// <summary>How many workflows a purge-by-filter request deletes when it does not say.</summary>
    public const int DefaultPurgeCount = 100;

    /// <summary>
    /// <c>DELETE /api/workflows/{id}</c>: purges the closed workflow; its ID is free again afterwards. 204; 404 for an
    /// unknown (or already purged) ID; 409 <c>workflow-open</c> while its current run is open.
    /// </summary>
    public static Task<IResult> PurgeAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "PurgeWorkflow", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.WorkflowTemplate, "id");
            try
            {
                return await client.PurgeWorkflowAsync(id, cancellationToken)
                    ? TypedResults.NoContent()
                    : ApiProblems.Create(
                        StatusCodes.Status404NotFound, ApiProblems.WorkflowNotFound, "Workflow not found",
                        $"There is no workflow '{id}': it never existed, or it has been purged already.",
                        new Dictionary<string, object?> { ["workflowId"] = id });
            }
            catch (WorkflowOpenException open)
            {
                return ApiProblems.Create(
                    StatusCodes.Status409Conflict, ApiProblems.WorkflowOpen, "Workflow open",
                    $"Workflow '{id}' is still running (run {open.RunId}), and only closed workflows can be purged. " +
                    $"Terminate or cancel it first (POST /api/workflows/{Uri.EscapeDataString(id)}/terminate), then purge it.",
                    new Dictionary<string, object?> { ["workflowId"] = id, ["runId"] = open.RunId });
            }
        });

    /// <summary>
    /// <c>DELETE /api/workflows?{list filters}&amp;max=&amp;continuationToken=</c>: purges at most <c>max</c> (1–1000, default 100)
    /// closed workflows that match the filters of the list, read from the visibility index; open ones are skipped.
    /// 200 with <c>{purged, skipped, continuationToken}</c>: call again with the token for more. 400 for <c>status=Running</c>
    /// or a malformed filter.
    /// </summary>
    public static Task<IResult> PurgeManyAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "PurgeWorkflows", async (client, cancellationToken) =>
        {
            var query = WorkflowListFilters.Read(request);
            if (query.Status == WorkflowStatus.Running)
            {
                throw new InvalidWorkflowRequestException(
                    "status=Running cannot be purged: only closed workflows are. Give a closed status (Completed, Failed …) or none, which matches the closed ones.");
            }

            var max = QueryValues.WholeNumber(request, "max", DefaultPurgeCount, MaxPurgeCount);
            return ApiResponses.Json(await client.PurgeWorkflowsAsync(query, max, cancellationToken));
        });
}
