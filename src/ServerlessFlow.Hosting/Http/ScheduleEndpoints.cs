using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The endpoints of schedules: durable rules that start workflows at the times of cron expressions or intervals. Every
/// route on an unknown ID answers 404 <c>schedule-not-found</c>; a description carries the schedule's ETag, in the
/// <c>ETag</c> header too, for a conditional update.
/// </summary>
public static class ScheduleEndpoints
{
    /// <summary>What an update body must be, for error messages.</summary>
    private const string UpdateUsage =
        "The body of a schedule update must be the whole definition: a JSON object with \"spec\", \"action\" and optionally \"policies\", " +
        "as for a create (pause and unpause have their own routes), e.g. {\"spec\":{\"cronExpressions\":[\"0 9 * * 1-5\"]},\"action\":{\"workflowType\":\"HelloSequence\"}}";

    /// <summary>
    /// <c>POST /api/schedules/{id}</c>: creates the schedule; the body is its definition (<c>spec</c>, <c>action</c>,
    /// <c>policies</c>) with optional <c>paused</c> and <c>note</c>. 201 with a <c>Location</c> header and the description;
    /// 409 <c>schedule-already-exists</c>; 400 for a malformed body, an invalid spec (a bad cron expression, time zone …) or action.
    /// </summary>
    public static Task<IResult> CreateAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "CreateSchedule", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.ScheduleTemplate, "id");
            var body = await ScheduleJson.ReadAsync<CreateScheduleBody>(request, CreateScheduleBody.Usage, cancellationToken);
            var definition = Checked(body.ToDefinition(), CreateScheduleBody.Usage);
            var created = await Client(request).CreateScheduleAsync(id, definition, body.Paused, body.Note, cancellationToken);
            request.HttpContext.Response.Headers.Location = ResourceLocations.Of(request, ApiRoutes.ScheduleTemplate, created.Id);
            return Description(request, created, StatusCodes.Status201Created);
        });

    /// <summary><c>GET /api/schedules?pageSize=&amp;continuationToken=</c>: one page of schedules in ID order. 200 with <c>{items, continuationToken}</c>.</summary>
    public static Task<IResult> ListAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "ListSchedules", async (_, cancellationToken) =>
        {
            var pageSize = QueryValues.PageSize(request);
            var continuationToken = QueryValues.Optional(request, "continuationToken");
            var page = await Client(request).ListSchedulesAsync(pageSize, continuationToken, cancellationToken);
            return ScheduleJson.Json(page with { Items = page.Items.Select(WithHttpETag).ToList() });
        });

    /// <summary><c>GET /api/schedules/{id}</c>: the schedule's definition and state, with its <c>ETag</c>. 200; 404 for an unknown ID.</summary>
    public static Task<IResult> DescribeAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "DescribeSchedule", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.ScheduleTemplate, "id");
            return Description(request, await Client(request).DescribeScheduleAsync(id, cancellationToken));
        });

    /// <summary>
    /// <c>PUT /api/schedules/{id}</c>: replaces the definition (the body: <c>spec</c>, <c>action</c>, <c>policies</c>); times
    /// already passed are not run again. With <c>If-Match</c>, only if the schedule still has that ETag. 200 with the
    /// description; 412 <c>schedule-changed</c> on a stale ETag; 404 for an unknown ID; 400 for a malformed body or invalid spec.
    /// </summary>
    public static Task<IResult> UpdateAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "UpdateSchedule", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.ScheduleTemplate, "id");
            var ifMatch = ScheduleETags.IfMatch(request);
            var definition = Checked(await ScheduleJson.ReadAsync<ScheduleDefinition>(request, UpdateUsage, cancellationToken), UpdateUsage);
            return Description(request, await Client(request).UpdateScheduleAsync(id, definition, ifMatch, cancellationToken));
        });

    /// <summary><c>POST /api/schedules/{id}/pause?note=</c>: no actions until unpaused; times passed meanwhile are skipped. 200 with the description.</summary>
    public static Task<IResult> PauseAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "PauseSchedule", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.SchedulePauseTemplate, "id");
            var note = RequestTarget.QueryParameter(request, "note");
            return Description(request, await Client(request).PauseScheduleAsync(id, note, cancellationToken));
        });

    /// <summary><c>POST /api/schedules/{id}/unpause?note=</c>: actions resume from now (the paused period is not caught up). 200 with the description.</summary>
    public static Task<IResult> UnpauseAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "UnpauseSchedule", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.ScheduleUnpauseTemplate, "id");
            var note = RequestTarget.QueryParameter(request, "note");
            return Description(request, await Client(request).UnpauseScheduleAsync(id, note, cancellationToken));
        });

    /// <summary>
    /// <c>POST /api/schedules/{id}/trigger?overlap=</c>: takes an action now (also while paused), under the overlap policy given
    /// or the schedule's. 202 with <c>{id, overlap}</c>; 400 for an unknown policy.
    /// </summary>
    public static Task<IResult> TriggerAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "TriggerSchedule", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.ScheduleTriggerTemplate, "id");
            var overlap = QueryValues.EnumName<ScheduleOverlapPolicy>(request, "overlap", "an overlap policy");
            await Client(request).TriggerScheduleAsync(id, overlap, cancellationToken);
            return ScheduleJson.Json(new TriggerScheduleResponse(id, overlap), StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// <c>POST /api/schedules/{id}/backfill</c> with <c>{startAt, endAt, overlap}</c>: takes the actions of [startAt, endAt) as if
    /// they had been due then; times that already have a run are not run again. 202 with the range; 400 when endAt is not
    /// after startAt, or too many backfills are pending.
    /// </summary>
    public static Task<IResult> BackfillAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "BackfillSchedule", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.ScheduleBackfillTemplate, "id");
            var body = await ScheduleJson.ReadAsync<BackfillScheduleBody>(request, BackfillScheduleBody.Usage, cancellationToken);
            if (body.EndAt <= body.StartAt)
            {
                throw new InvalidWorkflowRequestException(
                    $"A backfill's endAt ({body.EndAt:O}) must be after its startAt ({body.StartAt:O}): the range is [startAt, endAt).");
            }

            await Client(request).BackfillScheduleAsync(id, body.StartAt, body.EndAt, body.Overlap, cancellationToken);
            return ScheduleJson.Json(new BackfillScheduleResponse(id, body.StartAt, body.EndAt, body.Overlap), StatusCodes.Status202Accepted);
        });

    /// <summary><c>DELETE /api/schedules/{id}</c>: deletes the schedule; workflows it started go on. 204; 404 for an unknown ID.</summary>
    public static Task<IResult> DeleteAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "DeleteSchedule", async (_, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.ScheduleTemplate, "id");
            return await Client(request).DeleteScheduleAsync(id, cancellationToken) ? TypedResults.NoContent() : throw new ScheduleNotFoundException(id);
        });

    /// <summary>Resolved per request, like the workflow client, and only once the request has been read: bad input never needs it.</summary>
    private static IScheduleClient Client(HttpRequest request) => request.HttpContext.RequestServices.GetRequiredService<IScheduleClient>();

    /// <summary>The 200 (or <paramref name="status"/>) answer with a description, its ETag in the header and the body alike.</summary>
    private static IResult Description(HttpRequest request, ScheduleDescription description, int status = StatusCodes.Status200OK)
    {
        var answer = WithHttpETag(description);
        if (answer.ETag is { } etag)
        {
            request.HttpContext.Response.Headers.ETag = etag;
        }

        return ScheduleJson.Json(answer, status);
    }

    private static ScheduleDescription WithHttpETag(ScheduleDescription description) => description with { ETag = ScheduleETags.ToHttp(description.ETag) };

    /// <summary>Refuses what JSON nullability cannot express: a null inside the spec's lists.</summary>
    private static ScheduleDefinition Checked(ScheduleDefinition definition, string usage) =>
        definition.Spec.CronExpressions.Any(c => c is null) || definition.Spec.Intervals.Any(i => i is null)
            ? throw new InvalidWorkflowRequestException($"{usage}; \"spec\" has a null in cronExpressions or intervals.")
            : definition;
}
