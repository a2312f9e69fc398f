using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// Answers requests under the API prefix that no route of <see cref="ApiRoutes.All"/> takes. The web server removes dot segments
/// (<c>..</c>, also sent as <c>%2E%2E</c>) before routing, so <c>/api/workflows/..</c> would reach some other route or none: such a
/// path is refused with 400 here (and by <see cref="EndpointExecution"/> on a route it happens to land on). Other paths get the statuses
/// the web server would give, as problems like every other refusal of the API: 405 with <c>Allow</c> when a route takes the path with
/// another method, 404 otherwise.
/// </summary>
internal static class UnmatchedApiPaths
{
    /// <summary>The catch-all template, below every route in precedence.</summary>
    public const string Template = ApiRoutes.Prefix + "/{**rest}";

    /// <summary>The handler of <see cref="Template"/>.</summary>
    public static IResult Answer(HttpRequest request)
    {
        if (RequestTarget.DotSegmentProblem(request) is { } problem)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, ApiProblems.InvalidRequest, "Invalid request", problem);
        }

        var segments = ((request.PathBase + request.Path).Value ?? "").Trim('/').Split('/');
        var allowed = ApiRoutes.All.Where(route => Matches(segments, route.PrefixedTemplate.Split('/'))).Select(route => route.Method).Distinct().ToList();
        var method = request.Method;
        if (allowed.Count == 0)
        {
            return ApiProblems.Create(
                StatusCodes.Status404NotFound, ApiProblems.RouteNotFound, "Route not found",
                $"No route of the API takes '{request.Path}'. docs/http-api.md lists the routes.");
        }

        request.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
        return ApiProblems.Create(
            StatusCodes.Status405MethodNotAllowed, ApiProblems.MethodNotAllowed, "Method not allowed",
            $"'{request.Path}' does not take {method}; it takes {string.Join(", ", allowed)} (see the Allow header).");
    }

    private static bool Matches(string[] path, string[] template)
    {
        if (path.Length < template.Length)
        {
            return false;
        }

        // A host may mount the API below a base path: the template lines up with the end of the path.
        var offset = path.Length - template.Length;
        for (var i = 0; i < template.Length; i++)
        {
            var segment = path[offset + i];
            var expected = template[i];
            if (expected.StartsWith('{') ? segment.Length == 0 : !string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
