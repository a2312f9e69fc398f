using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Functions;

/// <summary>
/// The HTTP API of schedules: one function per schedule route of <see cref="ApiRoutes.All"/>, with the same name, method
/// and route. Each hands the request to the hosting library.
/// </summary>
public static class ScheduleHttpFunctions
{
    /// <summary>Creates a schedule.</summary>
    [Function("CreateSchedule")]
    public static Task<IResult> CreateSchedule(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ScheduleTemplate)] HttpRequest request) =>
        ScheduleEndpoints.CreateAsync(request);

    /// <summary>Lists schedules.</summary>
    [Function("ListSchedules")]
    public static Task<IResult> ListSchedules(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.SchedulesTemplate)] HttpRequest request) =>
        ScheduleEndpoints.ListAsync(request);

    /// <summary>Describes a schedule.</summary>
    [Function("DescribeSchedule")]
    public static Task<IResult> DescribeSchedule(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.ScheduleTemplate)] HttpRequest request) =>
        ScheduleEndpoints.DescribeAsync(request);

    /// <summary>Replaces a schedule's definition.</summary>
    [Function("UpdateSchedule")]
    public static Task<IResult> UpdateSchedule(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.ScheduleTemplate)] HttpRequest request) =>
        ScheduleEndpoints.UpdateAsync(request);

    /// <summary>Pauses a schedule.</summary>
    [Function("PauseSchedule")]
    public static Task<IResult> PauseSchedule(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SchedulePauseTemplate)] HttpRequest request) =>
        ScheduleEndpoints.PauseAsync(request);

    /// <summary>Unpauses a schedule.</summary>
    [Function("UnpauseSchedule")]
    public static Task<IResult> UnpauseSchedule(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ScheduleUnpauseTemplate)] HttpRequest request) =>
        ScheduleEndpoints.UnpauseAsync(request);

    /// <summary>Makes a schedule take an action now.</summary>
    [Function("TriggerSchedule")]
    public static Task<IResult> TriggerSchedule(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ScheduleTriggerTemplate)] HttpRequest request) =>
        ScheduleEndpoints.TriggerAsync(request);

    /// <summary>Makes a schedule take the actions of a past range.</summary>
    [Function("BackfillSchedule")]
    public static Task<IResult> BackfillSchedule(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ScheduleBackfillTemplate)] HttpRequest request) =>
        ScheduleEndpoints.BackfillAsync(request);

    /// <summary>Deletes a schedule.</summary>
    [Function("DeleteSchedule")]
    public static Task<IResult> DeleteSchedule(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.ScheduleTemplate)] HttpRequest request) =>
        ScheduleEndpoints.DeleteAsync(request);
}
