using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The filters of the workflow collection, shared by list (<c>GET /api/workflows</c>) and purge (<c>DELETE /api/workflows</c>):
/// <c>status</c>, <c>type</c>, <c>idPrefix</c>, <c>startedAfter</c>, <c>startedBefore</c>, <c>closedAfter</c>,
/// <c>closedBefore</c>, <c>suspended</c>, the repeatable <c>sa.{Name}[.{op}]</c> and <c>continuationToken</c>. An empty value means no filter.
/// </summary>
internal static class WorkflowListFilters
{
    /// <summary>The query the request's filters describe, with the default page size.</summary>
    /// <exception cref="InvalidWorkflowRequestException">A filter is malformed; the message names the parameter.</exception>
    public static WorkflowListQuery Read(HttpRequest request) => new()
    {
        Status = QueryValues.EnumName<WorkflowStatus>(request, "status", "a workflow status"),
        WorkflowType = QueryValues.Optional(request, "type"),
        IdPrefix = QueryValues.Optional(request, "idPrefix"),
        StartedAfter = QueryValues.Timestamp(request, "startedAfter"),
        StartedBefore = QueryValues.Timestamp(request, "startedBefore"),
        ClosedAfter = QueryValues.Timestamp(request, "closedAfter"),
        ClosedBefore = QueryValues.Timestamp(request, "closedBefore"),
        Suspended = QueryValues.Flag(request, "suspended"),
        SearchAttributes = SearchAttributeFilters.Read(request),
        ContinuationToken = QueryValues.Optional(request, "continuationToken"),
    };
}
