using System.Net;
using System.Text.Json;

namespace ServerlessFlow.Cli.Api;

/// <summary>The API answered with an error status: its RFC 9457 problem details when it sent them, its raw body otherwise.</summary>
internal sealed class ApiRefusedException(HttpStatusCode status, JsonElement? problem, string body)
    : Exception($"The API answered {(int)status} {status}.")
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem details; null when the body was not a JSON object (a web server's bare 404, say).</summary>
    public JsonElement? Problem { get; } = problem;

    /// <summary>The body as received.</summary>
    public string Body { get; } = body;
}
