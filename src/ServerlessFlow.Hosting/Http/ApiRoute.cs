using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// One endpoint of the ServerlessFlow HTTP API: what every host maps, the same way. The dev server maps
/// it with minimal APIs; the Function App declares one HTTP-triggered function per route that calls
/// <see cref="Handler"/>, and a test checks the two lists agree.
/// </summary>
/// <param name="Name">The endpoint's name; the Function App's function has the same name.</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Template">The route template below the <see cref="ApiRoutes.Prefix"/>, e.g. <c>workflows/{id}/result</c>.</param>
/// <param name="Handler">The handler: reads everything it needs from the request, never throws for bad input.</param>
public sealed record ApiRoute(string Name, string Method, string Template, Func<HttpRequest, Task<IResult>> Handler)
{
    /// <summary>The full route as a host without its own prefix maps it, e.g. <c>api/workflows/{id}</c>.</summary>
    public string PrefixedTemplate => ApiRoutes.Prefix + "/" + Template;
}
