using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// Reads route parameters and query values from the request target exactly as the client sent it.
/// </summary>
/// <remarks>
/// ASP.NET Core decodes the path before routing, except <c>%2F</c>, which it leaves encoded so that
/// segment boundaries survive. A route value is therefore ambiguous: <c>a%2Fb</c> may be the ID
/// <c>a/b</c> (sent as <c>a%2Fb</c>) or the ID <c>a%2Fb</c> (sent as <c>a%252Fb</c>). Decoding the raw
/// target ourselves removes the ambiguity and needs no routing data, so the same code runs behind
/// minimal APIs and behind an Azure Functions HTTP trigger.
/// </remarks>
internal static class RequestTarget
{
    /// <summary>
    /// The decoded value of the path parameter <paramref name="name"/> of <paramref name="template"/>.
    /// Templates put their parameters at a fixed distance from the end of the path, which is what
    /// makes this independent of any prefix a host adds.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">The segment is not valid percent-encoded UTF-8, or is ambiguous.</exception>
    public static string PathParameter(HttpRequest request, string template, string name)
    {
        var templateSegments = template.Split('/');
        var index = Array.IndexOf(templateSegments, "{" + name + "}");
        if (index < 0)
        {
            throw new ArgumentException($"Template '{template}' has no parameter '{name}'.", nameof(name));
        }

        var fromEnd = templateSegments.Length - index;
        if (RawPath(request) is { } raw && Segments(raw) is var rawSegments && Matches(rawSegments, templateSegments))
        {
            var value = PercentDecoding.TryDecode(rawSegments[^fromEnd], plusIsSpace: false)
                ?? throw new InvalidWorkflowRequestException(
                    $"The {name} in the URL is not valid percent-encoded UTF-8. Encode the value with encodeURIComponent (or Uri.EscapeDataString).");
            var options = request.HttpContext.RequestServices?.GetService<HttpApiOptions>() ?? HttpApiOptions.Default;
            if (options.RequestTargetRebuiltByProxy && value.Contains('%', StringComparison.Ordinal))
            {
                throw new InvalidWorkflowRequestException(
                    $"The {name} '{value}' cannot be addressed in a URL path on this host: its front end re-encodes the path before forwarding it, " +
                    "so an escaped '/' (%2F) and an escaped '%2F' (%252F) arrive alike. Use an ID without '/' and '%'.");
            }

            return value;
        }

        // No raw target (a host that does not expose it): the path is decoded except %2F, so a '%'
        // left in the segment cannot be told apart from an escape. Refuse rather than guess.
        var decoded = Segments((request.PathBase + request.Path).Value ?? "");
        var segment = decoded.Length >= fromEnd ? decoded[^fromEnd] : "";
        if (segment.Contains('%', StringComparison.Ordinal))
        {
            throw new InvalidWorkflowRequestException(
                $"The {name} '{segment}' contains '%', which this host cannot decode unambiguously. Use a value without '/' or '%'.");
        }

        return segment;
    }

    /// <summary>
    /// Why the request target cannot be taken as sent: a path segment that is, or decodes to, <c>.</c> or <c>..</c>. The web server
    /// removes such segments before routing, so the request would reach another resource than the one it names. Null when there is none.
    /// </summary>
    public static string? DotSegmentProblem(HttpRequest request)
    {
        if (RawPath(request) is not { } raw)
        {
            return null;
        }

        return raw.Split('/').Any(segment => PercentDecoding.TryDecode(segment, plusIsSpace: false) is "." or "..")
            ? $"The path '{raw}' has a '.' or '..' segment (perhaps sent as %2E): web servers remove such segments before routing, so it cannot " +
              "address anything. IDs '.' and '..' cannot be used in paths; send other segments as they are."
            : null;
    }

    /// <summary>
    /// The decoded value of query parameter <paramref name="name"/> (matched case-insensitively), or null when absent.
    /// Form encoding applies ('+' is a space).
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">The value is malformed, or the parameter is given more than once.</exception>
    public static string? QueryParameter(HttpRequest request, string name)
    {
        string? found = null;
        var count = 0;
        foreach (var (key, value) in QueryParameters(request))
        {
            if (!string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (++count > 1)
            {
                throw new InvalidWorkflowRequestException($"The query parameter '{name}' is given more than once; give it once.");
            }

            found = DecodedValue(name, value);
        }

        return found;
    }

    /// <summary>
    /// Every query parameter in the order sent, with its decoded name (null when the name is not valid
    /// percent-encoded UTF-8; such a parameter matches no name) and its value as sent; decode the value with
    /// <see cref="DecodedValue"/>. For parameters that may repeat, such as the search-attribute filters.
    /// </summary>
    public static IEnumerable<(string? Name, string RawValue)> QueryParameters(HttpRequest request)
    {
        if (RawTarget(request) is not { } raw)
        {
            // Already decoded by the host: escaped again, so that DecodedValue gives each value back unchanged.
            return request.Query.SelectMany(pair => pair.Value.Select(value => ((string?)pair.Key, Uri.EscapeDataString(value ?? ""))));
        }

        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        return (queryStart < 0 ? [] : raw[(queryStart + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                return (PercentDecoding.TryDecode(equals < 0 ? pair : pair[..equals], plusIsSpace: true), equals < 0 ? "" : pair[(equals + 1)..]);
            });
    }

    /// <summary>A value from <see cref="QueryParameters"/>, decoded (form encoding: '+' is a space).</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is not valid percent-encoded UTF-8.</exception>
    public static string DecodedValue(string name, string rawValue) =>
        PercentDecoding.TryDecode(rawValue, plusIsSpace: true)
        ?? throw new InvalidWorkflowRequestException(
            $"The query parameter '{name}' is not valid percent-encoded UTF-8. Encode the value with encodeURIComponent (or Uri.EscapeDataString).");

    /// <summary>The raw request target (path and query as sent), or null when the host does not expose an origin-form target.</summary>
    private static string? RawTarget(HttpRequest request) =>
        request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/' ? raw : null;

    /// <summary>The path of the raw request target, or null when the host does not expose it.</summary>
    private static string? RawPath(HttpRequest request)
    {
        var raw = RawTarget(request);
        var queryStart = raw?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        return queryStart < 0 ? raw : raw![..queryStart];
    }

    /// <summary>The path's segments; one trailing slash is ignored, as routing ignores it.</summary>
    private static string[] Segments(string path)
    {
        var trimmed = path.EndsWith('/') ? path[..^1] : path;
        return trimmed.Split('/');
    }

    /// <summary>True when the literal segments of the template line up with the end of the raw path.</summary>
    private static bool Matches(string[] raw, string[] template)
    {
        if (raw.Length < template.Length + 1)
        {
            return false;
        }

        for (var i = 1; i <= template.Length; i++)
        {
            var expected = template[^i];
            if (!expected.StartsWith('{') && !string.Equals(PercentDecoding.TryDecode(raw[^i], plusIsSpace: false), expected, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
