using System.Reflection;
using System.Text.Json;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.Hosting.Messaging;
using ServerlessFlow.Hosting.WebUi;

namespace ServerlessFlow.Functions.Tests;

/// <summary>
/// The functions the Functions SDK generated (functions.metadata in the app's build output) against the hosting
/// library: every route of <see cref="ApiRoutes.All"/> has exactly one HTTP function with its name, method, route and
/// function-key authorization that hands the request to the route's handler; the queue triggers bind the settings and
/// connection the hosting library reads; and nothing else is there.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly IReadOnlyList<GeneratedFunction> Functions = GeneratedFunction.ReadAll(BuildPaths.FunctionsMetadata);

    private static readonly Assembly App = typeof(FunctionAppServices).Assembly;

    private static IEnumerable<GeneratedFunction> HttpFunctions => Functions.Where(f => f.TriggerType == "httpTrigger");

    private static IEnumerable<GeneratedFunction> QueueFunctions => Functions.Where(f => f.TriggerType == "queueTrigger");

    public static TheoryData<string> RouteNames => new(ApiRoutes.All.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(RouteNames))]
    public void HttpFunction_EveryRoute_HasExactlyOneFunctionWithItsNameMethodRouteAndKey(string routeName)
    {
        var route = ApiRoutes.All.Single(r => r.Name == routeName);

        var function = Assert.Single(HttpFunctions, f => f.Route == route.Template && f.Methods.Contains(route.Method, StringComparer.OrdinalIgnoreCase));

        Assert.Equal(route.Name, function.Name);
        Assert.Single(function.Methods);
        Assert.Equal("Function", function.AuthLevel);
    }

    [Theory]
    [MemberData(nameof(RouteNames))]
    public void HttpFunction_EveryRoute_HandsTheRequestToTheRoutesHandler(string routeName)
    {
        var route = ApiRoutes.All.Single(r => r.Name == routeName);
        var function = Functions.Single(f => f.Name == route.Name);

        Assert.Contains(route.Handler.Method, CalledMethods.Of(EntryPoint(function)));
    }

    [Fact]
    public void HttpFunctions_NoFunction_ServesARouteTheTableLacks()
    {
        var unknown = HttpFunctions
            .Where(f => f.Route != WebUiEndpoints.Template)
            .Where(f => !ApiRoutes.All.Any(r => r.Name == f.Name && r.Template == f.Route && f.Methods.Contains(r.Method, StringComparer.OrdinalIgnoreCase)))
            .Select(f => $"{f.Name} ({string.Join(",", f.Methods)} {f.Route})")
            .ToList();

        Assert.Empty(unknown);
        Assert.Equal(ApiRoutes.All.Count + 1, HttpFunctions.Count());
    }

    [Theory]
    [InlineData(HostingSettingNames.WorkflowQueue, nameof(TriggeredMessageHandler.HandleWorkflowMessageAsync))]
    [InlineData(HostingSettingNames.ActivityQueue, nameof(TriggeredMessageHandler.HandleActivityMessageAsync))]
    public void QueueFunction_EachQueueSetting_HasExactlyOneFunctionOnTheEngineConnectionThatRunsItsHandler(string setting, string handlerMethod)
    {
        var function = Assert.Single(QueueFunctions, f => f.QueueName == $"%{setting}%");

        Assert.Equal(HostingSettingNames.StorageConnection, function.Connection);
        Assert.Contains(typeof(TriggeredMessageHandler).GetMethod(handlerMethod), CalledMethods.Of(EntryPoint(function)));
    }

    [Fact]
    public void QueueFunctions_NoFunction_BindsAQueueTheHostingLibraryDoesNotRead()
    {
        string[] known = [$"%{HostingSettingNames.WorkflowQueue}%", $"%{HostingSettingNames.ActivityQueue}%"];

        Assert.All(QueueFunctions, f => Assert.Contains(f.QueueName, known));
        Assert.Equal(known.Length, QueueFunctions.Count());
    }

    [Fact]
    public void QueueFunctions_BindingExpressions_UseConfigurationKeysNotDoubleUnderscores()
    {
        // The Functions host resolves %name% with configuration[name]; app settings written with "__"
        // are stored under ':' keys, so a "__" inside the expression never resolves.
        Assert.All(QueueFunctions, f => Assert.DoesNotContain("__", f.QueueName, StringComparison.Ordinal));
    }

    [Fact]
    public void TimerFunction_Exists_AndRunsHousekeepingEveryFiveMinutes()
    {
        var timer = Assert.Single(Functions, f => f.TriggerType == "timerTrigger");

        Assert.Equal("0 */5 * * * *", timer.Schedule);
        Assert.Contains(typeof(Housekeeping).GetMethod(nameof(Housekeeping.RunAsync)), CalledMethods.Of(EntryPoint(timer)));
    }

    [Fact]
    public void WebUiFunction_ServesTheUiBehindTheFunctionKey()
    {
        var ui = Assert.Single(HttpFunctions, f => f.Route == WebUiEndpoints.Template);

        Assert.Equal(["get"], ui.Methods);
        Assert.Equal("Function", ui.AuthLevel);
        Assert.Contains(typeof(WebUiEndpoints).GetMethod(nameof(WebUiEndpoints.ServeAsync)), CalledMethods.Of(EntryPoint(ui)));
    }

    [Fact]
    public void Functions_AreTheRoutesTheUiTheQueuesAndTheTimer_AndNothingElse()
    {
        Assert.Equal(ApiRoutes.All.Count + 1 + 2 + 1, Functions.Count);
        Assert.Equal(Functions.Count, Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void HostJson_RoutePrefix_IsTheRouteTablePrefix()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(BuildPaths.RepositoryRoot, "host.json")));

        var prefix = hostJson.RootElement.TryGetProperty("extensions", out var extensions)
                     && extensions.TryGetProperty("http", out var http)
                     && http.TryGetProperty("routePrefix", out var routePrefix)
            ? routePrefix.GetString()
            : "api"; // The Functions default.
        Assert.Equal(ApiRoutes.Prefix, prefix);
    }

    [Theory]
    [MemberData(nameof(RouteNames))]
    public void HttpApiDocs_EveryRoute_IsDocumentedWithItsMethodAndPath(string routeName)
    {
        // The route table is the contract users read in docs/http-api.md: a changed constant must change the docs too.
        var route = ApiRoutes.All.Single(r => r.Name == routeName);
        var docs = File.ReadAllText(Path.Combine(BuildPaths.RepositoryRoot, "docs", "http-api.md"));

        Assert.Contains($"{route.Method} /{route.Template}", docs, StringComparison.Ordinal);
    }

    private static MethodInfo EntryPoint(GeneratedFunction function)
    {
        var separator = function.EntryPoint.LastIndexOf('.');
        var type = App.GetType(function.EntryPoint[..separator], throwOnError: true)!;
        return Assert.Single(type.GetMethods(), m => m.Name == function.EntryPoint[(separator + 1)..]);
    }
}
