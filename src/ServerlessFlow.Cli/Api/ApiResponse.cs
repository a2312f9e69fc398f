using System.Net;
using System.Text.Json;

namespace ServerlessFlow.Cli.Api;

/// <summary>A successful answer of the API.</summary>
/// <param name="Status">The HTTP status (2xx).</param>
/// <param name="Body">The JSON body; null for an empty one (<c>204</c>).</param>
/// <param name="ETag">The <c>ETag</c> header, when the answer has one (schedules).</param>
internal sealed record ApiResponse(HttpStatusCode Status, JsonElement? Body, string? ETag)
{
    /// <summary>The body, which this route always has.</summary>
    public JsonElement Json => Body ?? throw new InvalidOperationException($"The API answered {(int)Status} without the JSON body this route always has.");
}
