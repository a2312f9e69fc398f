using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// A schedule's ETag in HTTP form. The engine's ETag is opaque text that need not be a valid HTTP entity-tag (an Azure
/// Table ETag is weak and quoted, another backend's may be bare), so the API sends it base64url-encoded in quotes — a
/// strong entity-tag — in the <c>ETag</c> header and in the description's <c>eTag</c>, and decodes <c>If-Match</c> back.
/// </summary>
internal static class ScheduleETags
{
    /// <summary>The HTTP form of the engine's <paramref name="etag"/>; null stays null.</summary>
    public static string? ToHttp(string? etag) => etag is null ? null : "\"" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(etag)) + "\"";

    /// <summary>
    /// The engine's ETag the <c>If-Match</c> header names; null when the header is absent or <c>*</c> (any version).
    /// A well-formed entity-tag this API did not issue is passed on as it is: it matches no version, so the update is a 412.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">The header is not one entity-tag.</exception>
    public static string? IfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return null;
        }

        var text = values.Count == 1 ? values[0]?.Trim() ?? "" : "";
        if (text == "*")
        {
            return null;
        }

        var strong = !text.StartsWith("W/", StringComparison.Ordinal);
        var quoted = strong ? text : text[2..];
        if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"' || quoted[1..^1].Contains('"', StringComparison.Ordinal))
        {
            throw new InvalidWorkflowRequestException(
                $"If-Match: {string.Join(", ", values.ToArray())} is not one ETag. Send the ETag header (or eTag member) of the schedule's description as it is, quotes included, or leave If-Match out.");
        }

        var inner = quoted[1..^1];
        return strong && Base64Url.IsValid(inner) ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(inner)) : text;
    }
}
