using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>Suspend and resume (<see cref="IWorkflowClient.SuspendWorkflowAsync"/>): an operator's hold on a running workflow.</summary>
public static class WorkflowSuspensionEndpoints
{
    /// <summary><c>POST /api/workflows/{id}/suspend?reason=</c>: <c>200</c> with the suspension; <c>409</c> when the run has closed.</summary>
    public static Task<IResult> SuspendAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "SuspendWorkflow", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.SuspendTemplate, "id");
            var reason = RequestTarget.QueryParameter(request, "reason");
            if (!await client.SuspendWorkflowAsync(id, reason, cancellationToken))
            {
                return await WorkflowCommandEndpoints.AlreadyClosedAsync(client, id, "suspend", cancellationToken);
            }

            var described = await client.DescribeWorkflowAsync(id, cancellationToken);
            return ApiResponses.Json(new SuspensionResponse(id, described.Status, described.Suspension));
        });

    /// <summary><c>POST /api/workflows/{id}/resume</c>: <c>200</c>, the kept work is applied at once; <c>409</c> when the run has closed.</summary>
    public static Task<IResult> ResumeAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "ResumeWorkflow", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.ResumeTemplate, "id");
            return await client.ResumeWorkflowAsync(id, cancellationToken)
                ? ApiResponses.Json(new SuspensionResponse(id, WorkflowStatus.Running, Suspension: null))
                : await WorkflowCommandEndpoints.AlreadyClosedAsync(client, id, "resume", cancellationToken);
        });
}

/// <summary>Answer of a suspend or resume: the run's status and its suspension (null once resumed).</summary>
internal sealed record SuspensionResponse(string Id, WorkflowStatus Status, WorkflowSuspension? Suspension);
