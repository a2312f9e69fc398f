using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Functions;

/// <summary>
/// The HTTP API of dead letters: one function per dead-letter route of <see cref="ApiRoutes.All"/>, with the same
/// name, method and route. Each hands the request to the hosting library.
/// </summary>
public static class DeadLetterHttpFunctions
{
    /// <summary>Lists dead letters.</summary>
    [Function("ListDeadLetters")]
    public static Task<IResult> ListDeadLetters(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.DeadLettersTemplate)] HttpRequest request) =>
        DeadLetterEndpoints.ListAsync(request);

    /// <summary>Puts a dead letter back on its queue.</summary>
    [Function("ReplayDeadLetter")]
    public static Task<IResult> ReplayDeadLetter(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.DeadLetterReplayTemplate)] HttpRequest request) =>
        DeadLetterEndpoints.ReplayAsync(request);

    /// <summary>Drops a dead letter.</summary>
    [Function("DeleteDeadLetter")]
    public static Task<IResult> DeleteDeadLetter(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.DeadLetterTemplate)] HttpRequest request) =>
        DeadLetterEndpoints.DeleteAsync(request);
}
