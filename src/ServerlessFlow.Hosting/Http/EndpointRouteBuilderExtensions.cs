using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ServerlessFlow.Hosting.Http;

/// <summary>Maps the HTTP API in an ASP.NET Core app (the dev server, or any app that hosts ServerlessFlow itself).</summary>
public static class EndpointRouteBuilderExtensions
{
    /// <summary>Maps every route of <see cref="ApiRoutes.All"/> under <c>/api</c>.</summary>
    public static IEndpointRouteBuilder MapServerlessFlowApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var route in ApiRoutes.All)
        {
            endpoints.MapMethods("/" + route.PrefixedTemplate, [route.Method], async context =>
            {
                var result = await route.Handler(context.Request);
                await result.ExecuteAsync(context);
            }).WithName(route.Name);
        }

        // Below every route in precedence: what no route takes, dot segments above all (see UnmatchedApiPaths).
        endpoints.Map("/" + UnmatchedApiPaths.Template, async context => await UnmatchedApiPaths.Answer(context.Request).ExecuteAsync(context));
        return endpoints;
    }

    /// <summary>Maps the web UI (<see cref="WebUi.WebUiEndpoints"/>) at <c>/api/ui/</c>; it calls the API that <see cref="MapServerlessFlowApi"/> maps.</summary>
    public static IEndpointRouteBuilder MapServerlessFlowWebUi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods("/" + ApiRoutes.Prefix + "/" + WebUi.WebUiEndpoints.Template, [HttpMethods.Get], async context =>
        {
            var result = await WebUi.WebUiEndpoints.ServeAsync(context.Request);
            await result.ExecuteAsync(context);
        }).WithName("WebUi");
        return endpoints;
    }
}
