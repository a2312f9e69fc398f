using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Hosting.DeadLetters;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The endpoints of dead letters: task messages a worker could not handle, moved out of their queue so that
/// they stop blocking it. List them, replay one (put it back on its queue) once the cause is fixed, or drop it.
/// </summary>
public static class DeadLetterEndpoints
{
    /// <summary>
    /// <c>GET /api/deadletters?queue=&amp;pageSize=&amp;continuationToken=</c>: one page of dead letters, of one logical
    /// queue (e.g. <c>wf-default</c>) or of all, in (queue, message ID) order. 200 with <c>{items, continuationToken}</c>;
    /// 400 for a page size outside 1–1000; 501 when the backend keeps no readable dead letters.
    /// </summary>
    public static Task<IResult> ListAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "ListDeadLetters", async (_, cancellationToken) =>
        {
            var queue = QueryValues.Optional(request, "queue");
            var pageSize = QueryValues.PageSize(request);
            var continuationToken = QueryValues.Optional(request, "continuationToken");
            return ApiResponses.Json(await Store(request).ListAsync(queue, pageSize, continuationToken, cancellationToken));
        });

    /// <summary>
    /// <c>POST /api/deadletters/{id}/replay</c>: puts the message back on its queue, unchanged and visible at once,
    /// and removes the dead letter. 202 with <c>{id, queue, messageId}</c>: a worker handles it as a new message
    /// (if it fails again it is dead-lettered again, under a new ID). 404 for an unknown ID.
    /// </summary>
    public static Task<IResult> ReplayAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "ReplayDeadLetter", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.DeadLetterReplayTemplate, "id");
            var (queue, messageId) = DeadLetterIds.Parse(id);
            return await Store(request).ReplayAsync(queue, messageId, cancellationToken)
                ? ApiResponses.Json(new ReplayDeadLetterResponse(id, queue, messageId), StatusCodes.Status202Accepted)
                : NotFound(id);
        });

    /// <summary><c>DELETE /api/deadletters/{id}</c>: drops the dead letter without replaying it. 204; 404 for an unknown ID.</summary>
    public static Task<IResult> DeleteAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "DeleteDeadLetter", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.DeadLetterTemplate, "id");
            var (queue, messageId) = DeadLetterIds.Parse(id);
            return await Store(request).DeleteAsync(queue, messageId, cancellationToken) ? TypedResults.NoContent() : NotFound(id);
        });

    private static IDeadLetterStore Store(HttpRequest request) =>
        request.HttpContext.RequestServices.GetService<IDeadLetterStore>() ?? UnavailableDeadLetterStore.Instance;

    private static IResult NotFound(string id) => ApiProblems.Create(
        StatusCodes.Status404NotFound, ApiProblems.DeadLetterNotFound, "Dead letter not found",
        $"There is no dead letter '{id}': it was never there, or it has been replayed or deleted meanwhile. List them with GET /api/deadletters.",
        new Dictionary<string, object?> { ["deadLetterId"] = id });
}
