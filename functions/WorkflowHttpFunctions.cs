using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Functions;

/// <summary>
/// The HTTP API of workflows: one function per route of <see cref="ApiRoutes.All"/> (dead letters are in
/// <see cref="DeadLetterHttpFunctions"/>, schedules in <see cref="ScheduleHttpFunctions"/>), with the same name, method
/// and route (Functions adds the "api" prefix from host.json). Each hands the request to the hosting library.
/// </summary>
public static class WorkflowHttpFunctions
{
    /// <summary>Starts a workflow.</summary>
    [Function("StartWorkflow")]
    public static Task<IResult> StartWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.StartTemplate)] HttpRequest request) =>
        WorkflowCommandEndpoints.StartAsync(request);

    /// <summary>Describes a workflow.</summary>
    [Function("DescribeWorkflow")]
    public static Task<IResult> DescribeWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.WorkflowTemplate)] HttpRequest request) =>
        WorkflowQueryEndpoints.DescribeAsync(request);

    /// <summary>Long-polls a workflow's result.</summary>
    [Function("GetWorkflowResult")]
    public static Task<IResult> GetWorkflowResult(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.ResultTemplate)] HttpRequest request) =>
        WorkflowQueryEndpoints.GetResultAsync(request);

    /// <summary>Reads a workflow's history.</summary>
    [Function("GetWorkflowHistory")]
    public static Task<IResult> GetWorkflowHistory(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.HistoryTemplate)] HttpRequest request) =>
        WorkflowQueryEndpoints.GetHistoryAsync(request);

    /// <summary>Signals a workflow.</summary>
    [Function("SignalWorkflow")]
    public static Task<IResult> SignalWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SignalTemplate)] HttpRequest request) =>
        WorkflowCommandEndpoints.SignalAsync(request);

    /// <summary>Signals a workflow, starting it first if no run is open.</summary>
    [Function("SignalWithStartWorkflow")]
    public static Task<IResult> SignalWithStartWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SignalWithStartTemplate)] HttpRequest request) =>
        WorkflowCommandEndpoints.SignalWithStartAsync(request);

    /// <summary>Queries a workflow without an argument.</summary>
    [Function("QueryWorkflow")]
    public static Task<IResult> QueryWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.QueryTemplate)] HttpRequest request) =>
        WorkflowQueryEndpoints.QueryAsync(request);

    /// <summary>Queries a workflow with the body as the argument.</summary>
    [Function("QueryWorkflowWithArgument")]
    public static Task<IResult> QueryWorkflowWithArgument(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.QueryTemplate)] HttpRequest request) =>
        WorkflowQueryEndpoints.QueryAsync(request);

    /// <summary>Updates a workflow and waits for the result.</summary>
    [Function("UpdateWorkflow")]
    public static Task<IResult> UpdateWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.UpdateTemplate)] HttpRequest request) =>
        WorkflowCommandEndpoints.UpdateAsync(request);

    /// <summary>Asks a workflow to cancel.</summary>
    [Function("CancelWorkflow")]
    public static Task<IResult> CancelWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.CancelTemplate)] HttpRequest request) =>
        WorkflowCommandEndpoints.CancelAsync(request);

    /// <summary>Terminates a workflow.</summary>
    [Function("TerminateWorkflow")]
    public static Task<IResult> TerminateWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.TerminateTemplate)] HttpRequest request) =>
        WorkflowCommandEndpoints.TerminateAsync(request);

    /// <summary>Suspends a workflow.</summary>
    [Function("SuspendWorkflow")]
    public static Task<IResult> SuspendWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{id}/suspend")] HttpRequest request) =>
        WorkflowSuspensionEndpoints.SuspendAsync(request);

    /// <summary>Resumes a suspended workflow.</summary>
    [Function("ResumeWorkflow")]
    public static Task<IResult> ResumeWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{id}/resume")] HttpRequest request) =>
        WorkflowSuspensionEndpoints.ResumeAsync(request);

    /// <summary>Lists workflows.</summary>
    [Function("ListWorkflows")]
    public static Task<IResult> ListWorkflows(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.WorkflowsTemplate)] HttpRequest request) =>
        WorkflowQueryEndpoints.ListAsync(request);

    /// <summary>Purges a closed workflow.</summary>
    [Function("PurgeWorkflow")]
    public static Task<IResult> PurgeWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.WorkflowTemplate)] HttpRequest request) =>
        WorkflowPurgeEndpoints.PurgeAsync(request);

    /// <summary>Purges the closed workflows that match the list filters.</summary>
    [Function("PurgeWorkflows")]
    public static Task<IResult> PurgeWorkflows(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.WorkflowsTemplate)] HttpRequest request) =>
        WorkflowPurgeEndpoints.PurgeManyAsync(request);
}
