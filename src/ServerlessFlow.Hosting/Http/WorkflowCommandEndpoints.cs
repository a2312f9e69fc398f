using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServerlessFlow.Codec;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The endpoints that change workflows: start, signal, signal-with-start, update, cancel and terminate. Plain static
/// handlers that any host can call with its <see cref="HttpRequest"/>; they take their services from <c>HttpContext.RequestServices</c>.
/// </summary>
public static class WorkflowCommandEndpoints
{
    /// <summary>
    /// <c>POST /api/workflows/{type}?id=&amp;taskQueue=&amp;envelope=&amp;startDelay=</c>: starts a workflow with the body as its input (an
    /// empty body means no input); with <c>envelope=true</c> the body is <c>{"input": …, "memo": {…}, "searchAttributes": {…}}</c>.
    /// <c>startDelay</c> (seconds, at most a year) delays the run's first workflow task (<see cref="StartWorkflowOptions.StartDelay"/>).
    /// 202 with a <c>Location</c> header and <c>{id, runId}</c>; 404 for an unknown type, 409 when a run with that ID is open,
    /// 400 for malformed JSON, a bad ID or envelope, or search attributes that are not registered or not of their type; 413 over 2 MB.
    /// With <c>wait={seconds}</c> (a synchronous start for short workflows) the call waits that long for the run to close and
    /// then answers as <c>GET …/result</c> does: 200 with <c>{id, runId, status, result, failure}</c>; still open, 202 as above.
    /// </summary>
    public static Task<IResult> StartAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "StartWorkflow", async (client, cancellationToken) =>
        {
            var type = RequestTarget.PathParameter(request, ApiRoutes.StartTemplate, "type");
            var id = AddressableId(RequestTarget.QueryParameter(request, "id"));
            var envelope = QueryValues.Flag(request, StartBody.EnvelopeParameter);
            var wait = QueryValues.Wait(request, whenAbsent: TimeSpan.Zero);
            var startDelay = QueryValues.StartDelay(request);
            var body = StartBody.Read(await RequestPayload.ReadJsonAsync(request, cancellationToken), envelope);
            var options = new StartWorkflowOptions
            {
                Id = id,
                TaskQueue = RequestTarget.QueryParameter(request, "taskQueue"),
                Memo = body.Memo,
                SearchAttributes = body.SearchAttributes,
                StartDelay = startDelay,
            };
            var handle = await client.StartWorkflowAsync(type, body.Input, options, cancellationToken);
            request.HttpContext.Response.Headers.Location = ResourceLocations.Of(request, ApiRoutes.StartTemplate, handle.Id);
            if (wait > TimeSpan.Zero && await ClosedWithinAsync(client, handle, wait, cancellationToken) is { } run)
            {
                return ApiResponses.Json(new WorkflowResultResponse(run.Id, run.RunId, run.Status, run.Result, run.Failure), StatusCodes.Status200OK);
            }

            return ApiResponses.Json(new StartWorkflowResponse(handle.Id, handle.RunId), StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// The started workflow's closed run if it closes within <paramref name="wait"/> (following continue-as-new, as a result
    /// does); null while it runs, and also when reading it fails: the start has happened, so its answer is the plain 202,
    /// never an error a client would retry into a 409.
    /// </summary>
    private static async Task<WorkflowDescription?> ClosedWithinAsync(IWorkflowClient client, WorkflowHandle handle, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            var run = await client.WaitForCloseAsync(handle.Id, wait, cancellationToken);
            return run.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew ? null : run;
        }
        catch (Exception e) when (e is StoreException or PayloadCodecException or WorkflowNotFoundException)
        {
            return null;
        }
    }

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
            var requestId = QueryValues.IdempotencyKey(request, "requestId");
            var argument = await RequestPayload.ReadJsonAsync(request, cancellationToken);
            await client.SignalWorkflowAsync(id, name, argument, requestId, cancellationToken);
            return ApiResponses.Json(new SignalWorkflowResponse(id, name), StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// <c>POST /api/workflows/{type}/signal-with-start/{name}?id=&amp;taskQueue=&amp;requestId=&amp;startDelay=</c>: delivers the signal
    /// to the open run of <c>id</c>, starting a run of <c>type</c> first when none is open (its first task delayed by <c>startDelay</c>
    /// seconds, if given: the signal waits for it); the body is
    /// <c>{"input": …, "signal": …, "memo": {…}, "searchAttributes": {…}}</c> (all optional; all but the signal used only by a start). 202 with a <c>Location</c> header and <c>{id, runId, signal}</c>;
    /// a repeated <c>requestId</c> delivers the signal once. 400 without an <c>id</c>, for a malformed body or an
    /// unknown signal; 404 for an unknown type.
    /// </summary>
    public static Task<IResult> SignalWithStartAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "SignalWithStartWorkflow", async (client, cancellationToken) =>
        {
            var type = RequestTarget.PathParameter(request, ApiRoutes.SignalWithStartTemplate, "type");
            var name = RequestTarget.PathParameter(request, ApiRoutes.SignalWithStartTemplate, "name");
            var id = AddressableId(QueryValues.Optional(request, "id") ?? throw new InvalidWorkflowRequestException(
                "Signal-with-start needs the workflow ID: add ?id=… (the signal goes to the open run with that ID, or to the run this call starts)."));
            var requestId = QueryValues.IdempotencyKey(request, "requestId");
            var startDelay = QueryValues.StartDelay(request);
            var body = SignalWithStartBody.Read(await RequestPayload.ReadJsonAsync(request, cancellationToken));
            var options = new StartWorkflowOptions
            {
                Id = id,
                TaskQueue = RequestTarget.QueryParameter(request, "taskQueue"),
                Memo = body.Memo,
                SearchAttributes = body.SearchAttributes,
                StartDelay = startDelay,
            };
            var handle = await client.SignalWithStartAsync(type, body.Input, options, name, body.Signal, requestId, cancellationToken);
            request.HttpContext.Response.Headers.Location = ResourceLocations.Of(request, ApiRoutes.SignalWithStartTemplate, handle.Id);
            return ApiResponses.Json(new SignalWithStartResponse(handle.Id, handle.RunId, name), StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// <c>POST /api/workflows/{id}/updates/{name}?updateId=&amp;wait=</c>: sends an update with the body as its argument
    /// and waits up to <c>wait</c> seconds (default and most: 60) for its result. 200 with <c>{id, update, updateId, result}</c>;
    /// 202 with <c>{id, update, updateId, detail}</c> when it was accepted but has not finished yet (call again with the
    /// same <c>updateId</c>); 400 <c>update-rejected</c> when its validator refused it (nothing recorded); 422
    /// <c>update-failed</c> when its handler failed; 400 for an unknown update or a closed run; 404 for an unknown ID.
    /// </summary>
    public static Task<IResult> UpdateAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "UpdateWorkflow", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.UpdateTemplate, "id");
            var name = RequestTarget.PathParameter(request, ApiRoutes.UpdateTemplate, "name");

            // Chosen here when the caller gives none, so that a 202 can name the ID to call again with.
            var updateId = QueryValues.IdempotencyKey(request, "updateId") ?? Guid.NewGuid().ToString("N");
            var wait = QueryValues.Wait(request, whenAbsent: QueryValues.MaxWait);
            var argument = await RequestPayload.ReadJsonAsync(request, cancellationToken);
            try
            {
                var result = await client.UpdateWorkflowAsync(id, name, argument, updateId, wait, cancellationToken);
                return ApiResponses.Json(new UpdateWorkflowResponse(id, name, updateId, result));
            }
            catch (WorkflowUpdateFailedException e)
            {
                return ExceptionProblems.UpdateFailed(e, updateId);
            }
            catch (JsonException e) when (argument is not null)
            {
                throw RequestPayload.ArgumentMismatch($"update '{name}'", e);
            }
            catch (TimeoutException)
            {
                var detail = string.Create(CultureInfo.InvariantCulture,
                    $"Update '{name}' was accepted and recorded but did not finish within {wait.TotalSeconds:0.###} s. " +
                    $"Call again with updateId={updateId} (and the same argument) to keep waiting: it is applied once, and the call answers with its result.");
                return ApiResponses.Json(new UpdatePendingResponse(id, name, updateId, detail), StatusCodes.Status202Accepted);
            }
        });

    /// <summary>
    /// <c>POST /api/workflows/{id}/cancel?reason=</c>: asks the current run to cancel; its code sees the cancellation
    /// at its pending awaits and may clean up before it closes as <c>Canceled</c>. 202 with <c>{id, reason}</c>;
    /// repeating it is harmless. 404 for an unknown ID; 409 when the run has already closed.
    /// </summary>
    public static Task<IResult> CancelAsync(HttpRequest request) =>
        EndpointExecution.RunAsync(request, "CancelWorkflow", async (client, cancellationToken) =>
        {
            var id = RequestTarget.PathParameter(request, ApiRoutes.CancelTemplate, "id");
            var reason = RequestTarget.QueryParameter(request, "reason");
            return await client.CancelWorkflowAsync(id, reason, cancellationToken)
                ? ApiResponses.Json(new CancelWorkflowResponse(id, reason), StatusCodes.Status202Accepted)
                : await AlreadyClosedAsync(client, id, "cancel", cancellationToken);
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
            return await client.TerminateWorkflowAsync(id, reason, cancellationToken)
                ? ApiResponses.Json(new TerminateWorkflowResponse(id, WorkflowStatus.Terminated))
                : await AlreadyClosedAsync(client, id, "terminate", cancellationToken);
        });

    /// <summary>The 409 for a cancel, terminate, suspend or resume of a run that has closed, with its status so that a retry can tell "it is closed" from "it failed".</summary>
    internal static async Task<IResult> AlreadyClosedAsync(IWorkflowClient client, string id, string action, CancellationToken cancellationToken)
    {
        var current = await client.DescribeWorkflowAsync(id, cancellationToken);
        return ApiProblems.Create(
            StatusCodes.Status409Conflict, ApiProblems.WorkflowClosed, "Workflow already closed",
            $"Workflow '{id}' has already closed as {current.Status} (run {current.RunId}); there is nothing to {action}.",
            new Dictionary<string, object?> { ["workflowId"] = id, ["runId"] = current.RunId, ["workflowStatus"] = current.Status.ToString() });
    }

    /// <summary>Refuses the IDs a URL path cannot carry: clients and servers remove "." and ".." segments before routing.</summary>
    private static string? AddressableId(string? id) => id is "." or ".."
        ? throw new InvalidWorkflowRequestException($"The workflow ID '{id}' cannot be addressed in a URL path (it is a dot segment). Choose another ID.")
        : id;
}
