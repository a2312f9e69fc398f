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
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{type}")] HttpRequest request) =>
        WorkflowCommandEndpoints.StartAsync(request);

    /// <summary>Describes a workflow.</summary>
    [Function("DescribeWorkflow")]
    public static Task<IResult> DescribeWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workflows/{id}")] HttpRequest request) =>
        WorkflowQueryEndpoints.DescribeAsync(request);

    /// <summary>Long-polls a workflow's result.</summary>
    [Function("GetWorkflowResult")]
    public static Task<IResult> GetWorkflowResult(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workflows/{id}/result")] HttpRequest request) =>
        WorkflowQueryEndpoints.GetResultAsync(request);

    /// <summary>Reads a workflow's history.</summary>
    [Function("GetWorkflowHistory")]
    public static Task<IResult> GetWorkflowHistory(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workflows/{id}/history")] HttpRequest request) =>
        WorkflowQueryEndpoints.GetHistoryAsync(request);

    /// <summary>Signals a workflow.</summary>
    [Function("SignalWorkflow")]
    public static Task<IResult> SignalWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{id}/signals/{name}")] HttpRequest request) =>
        WorkflowCommandEndpoints.SignalAsync(request);

    /// <summary>Signals a workflow, starting it first if no run is open.</summary>
    [Function("SignalWithStartWorkflow")]
    public static Task<IResult> SignalWithStartWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{type}/signal-with-start/{name}")] HttpRequest request) =>
        WorkflowCommandEndpoints.SignalWithStartAsync(request);

    /// <summary>Queries a workflow without an argument.</summary>
    [Function("QueryWorkflow")]
    public static Task<IResult> QueryWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workflows/{id}/queries/{name}")] HttpRequest request) =>
        WorkflowQueryEndpoints.QueryAsync(request);

    /// <summary>Queries a workflow with the body as the argument.</summary>
    [Function("QueryWorkflowWithArgument")]
    public static Task<IResult> QueryWorkflowWithArgument(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{id}/queries/{name}")] HttpRequest request) =>
        WorkflowQueryEndpoints.QueryAsync(request);

    /// <summary>Updates a workflow and waits for the result.</summary>
    [Function("UpdateWorkflow")]
    public static Task<IResult> UpdateWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{id}/updates/{name}")] HttpRequest request) =>
        WorkflowCommandEndpoints.UpdateAsync(request);

    /// <summary>Asks a workflow to cancel.</summary>
    [Function("CancelWorkflow")]
    public static Task<IResult> CancelWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{id}/cancel")] HttpRequest request) =>
        WorkflowCommandEndpoints.CancelAsync(request);

    /// <summary>Terminates a workflow.</summary>
    [Function("TerminateWorkflow")]
    public static Task<IResult> TerminateWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workflows/{id}/terminate")] HttpRequest request) =>
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
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workflows")] HttpRequest request) =>
        WorkflowQueryEndpoints.ListAsync(request);

    /// <summary>Purges a closed workflow.</summary>
    [Function("PurgeWorkflow")]
    public static Task<IResult> PurgeWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "workflows/{id}")] HttpRequest request) =>
        WorkflowPurgeEndpoints.PurgeAsync(request);

    /// <summary>Purges the closed workflows that match the list filters.</summary>
    [Function("PurgeWorkflows")]
    public static Task<IResult> PurgeWorkflows(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "workflows")] HttpRequest request) =>
        WorkflowPurgeEndpoints.PurgeManyAsync(request);
}
