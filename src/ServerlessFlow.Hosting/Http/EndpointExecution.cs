using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ServerlessFlow.Hosting.Http;

/// <summary>Runs an endpoint's body and turns every failure into problem details: expected ones by status, the rest as a logged 500.</summary>
internal static class EndpointExecution
{
    /// <summary>The logger category of the HTTP API.</summary>
    private const string LoggerCategory = "ServerlessFlow.Hosting.Http";

    public static async Task<IResult> RunAsync(HttpRequest request, string endpoint, Func<IWorkflowClient, CancellationToken, Task<IResult>> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        var aborted = context.RequestAborted;
        var logger = context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory) ?? NullLogger.Instance;
        using var trace = TraceContinuation.Begin(request);
        try
        {
            if (RequestTarget.DotSegmentProblem(request) is { } dotSegments)
            {
                throw new InvalidWorkflowRequestException(dotSegments);
            }

            return await body(context.RequestServices.GetRequiredService<IWorkflowClient>(), aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            throw; // The client went away: there is no one to answer.
        }
        catch (OperationCanceledException e)
        {
            Log.RequestCanceled(logger, endpoint, e);
            return ApiProblems.Create(
                StatusCodes.Status503ServiceUnavailable, ApiProblems.StorageUnavailable, "Service unavailable",
                "The request was canceled before it finished, most likely because the server is shutting down. Retry it.");
        }
        catch (Exception e) when (ExceptionProblems.TryMap(e, context.Response) is { } problem)
        {
            Log.RequestRejected(logger, endpoint, e.GetType().Name, e.Message);
            return problem;
        }
        catch (Exception e)
        {
            Log.RequestFailed(logger, endpoint, e);
            return ApiProblems.Create(
                StatusCodes.Status500InternalServerError, ApiProblems.InternalError, "Internal error",
                $"An unexpected error occurred in {endpoint}; the server log has the details (event {Log.RequestFailedEventId}).");
        }
    }
}
