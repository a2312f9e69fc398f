using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ServerlessFlow.Hosting.WebUi;

namespace ServerlessFlow.Functions;

/// <summary>
/// The web UI's static files at <c>/api/ui/</c>, behind the function key like the API it calls (open the page as
/// <c>/api/ui/?code=KEY</c>; the page hands the key on). App Service authentication in front of the app is the alternative.
/// </summary>
public static class WebUiFunction
{
    /// <summary>Serves one file of the UI; the empty path is the page.</summary>
    [Function("WebUi")]
    public static Task<IResult> WebUi(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = WebUiEndpoints.Template)] HttpRequest request) =>
        WebUiEndpoints.ServeAsync(request);
}
