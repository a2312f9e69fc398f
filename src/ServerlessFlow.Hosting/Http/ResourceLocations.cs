using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>The <c>Location</c> of a resource a request created (a workflow, a schedule).</summary>
internal static class ResourceLocations
{
    /// <summary>
    /// The URL of the resource <paramref name="id"/>: the request URL with the segments of <paramref name="template"/> below
    /// the collection (the type or ID, and what follows it) replaced by the escaped ID. Relative to the request, so it holds
    /// behind any prefix a host adds.
    /// </summary>
    public static string Of(HttpRequest request, string template, string id)
    {
        var path = ((request.PathBase + request.Path).Value ?? "").TrimEnd('/');
        var below = template.Count(c => c == '/'); // Segments after the collection's.
        var end = path.Length;
        for (var i = 0; i < below; i++)
        {
            end = path.LastIndexOf('/', end - 1);
        }

        return path[..(end + 1)] + Uri.EscapeDataString(id);
    }
}
