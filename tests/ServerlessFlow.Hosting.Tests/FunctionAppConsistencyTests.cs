using System.Text.Json;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.Hosting.Messaging;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// The Function App cannot be compiled where its packages are missing, so its adapters are checked
/// against the hosting library by parsing their sources: every route and queue has exactly one function
/// with the same name, method, route or queue setting, and no function names one that does not exist.
/// </summary>
public sealed class FunctionAppConsistencyTests
{
    private static readonly IReadOnlyList<DeclaredFunction> Functions = FunctionSources.Read(RepositoryPaths.Functions);

    private static IEnumerable<DeclaredFunction> HttpFunctions => Functions.Where(f => f.Trigger == "HttpTrigger");

    private static IEnumerable<DeclaredFunction> QueueFunctions => Functions.Where(f => f.Trigger == "QueueTrigger");

    public static TheoryData<string> RouteNames => new(ApiRoutes.All.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(RouteNames))]
    public void HttpFunctions_EveryRoute_HasExactlyOneFunctionWithSameNameMethodRouteAndHandler(string routeName)
    {
        var route = ApiRoutes.All.Single(r => r.Name == routeName);

        var matching = HttpFunctions.Where(f => Methods(f).Contains(route.Method, StringComparer.OrdinalIgnoreCase) && Route(f) == route.Template).ToList();

        var function = Assert.Single(matching);
        Assert.Equal(route.Name, function.Name);
        Assert.Single(Methods(function));
        Assert.Equal($"{route.Handler.Method.DeclaringType!.Name}.{route.Handler.Method.Name}", function.Calls);
    }

    [Fact]
    public void HttpFunctions_NoFunction_NamesARouteTheTableLacks()
    {
        var unknown = HttpFunctions
            .Where(f => !ApiRoutes.All.Any(r => r.Template == Route(f) && Methods(f).Contains(r.Method, StringComparer.OrdinalIgnoreCase)))
            .Select(f => $"{f.Name} ({string.Join(",", Methods(f))} {Route(f)}) in {f.File}")
            .ToList();

        Assert.Empty(unknown);
        Assert.Equal(ApiRoutes.All.Count, HttpFunctions.Count());
    }

    [Fact]
    public void HttpFunctions_All_RequireAFunctionKey()
    {
        Assert.All(HttpFunctions, f => Assert.Equal("AuthorizationLevel.Function", f.Arguments[0]));
    }

    [Theory]
    [InlineData(HostingSettingNames.WorkflowQueue, nameof(TriggeredMessageHandler.HandleWorkflowMessageAsync))]
    [InlineData(HostingSettingNames.ActivityQueue, nameof(TriggeredMessageHandler.HandleActivityMessageAsync))]
    public void QueueFunctions_EachQueueSetting_HasExactlyOneFunctionOnTheEngineConnection(string setting, string handlerMethod)
    {
        var function = Assert.Single(QueueFunctions, f => f.Arguments[0] == $"%{setting}%");

        Assert.Equal(HostingSettingNames.StorageConnection, function.Named["Connection"]);
        Assert.EndsWith("." + handlerMethod, function.Calls, StringComparison.Ordinal);
    }

    [Fact]
    public void QueueFunctions_NoFunction_NamesAQueueTheHostingLibraryDoesNotRead()
    {
        string[] known = [$"%{HostingSettingNames.WorkflowQueue}%", $"%{HostingSettingNames.ActivityQueue}%"];

        Assert.All(QueueFunctions, f => Assert.Contains(f.Arguments[0], known));
        Assert.Equal(known.Length, QueueFunctions.Count());
    }

    [Fact]
    public void QueueFunctions_BindingExpressions_UseConfigurationKeysNotDoubleUnderscores()
    {
        // The Functions host resolves %name% with configuration[name]; app settings written with "__"
        // are stored under ':' keys, so a "__" inside the expression never resolves.
        Assert.All(QueueFunctions, f => Assert.DoesNotContain("__", f.Arguments[0], StringComparison.Ordinal));
    }

    [Fact]
    public void TimerFunction_Exists_AndRunsHousekeeping()
    {
        var timer = Assert.Single(Functions, f => f.Trigger == "TimerTrigger");

        Assert.EndsWith("." + nameof(Housekeeping.RunAsync), timer.Calls, StringComparison.Ordinal);
    }

    [Fact]
    public void HostJson_RoutePrefix_IsTheRouteTablePrefix()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));

        var prefix = hostJson.RootElement.TryGetProperty("extensions", out var extensions)
                     && extensions.TryGetProperty("http", out var http)
                     && http.TryGetProperty("routePrefix", out var routePrefix)
            ? routePrefix.GetString()
            : "api"; // The Functions default.
        Assert.Equal(ApiRoutes.Prefix, prefix);
    }

    [Fact]
    public void Program_DeclaresThatTheFunctionsHostRebuildsRequestTargets()
    {
        // Without it, an ID sent as a%2Fb would be read as "a%2Fb" behind the Functions host.
        var program = File.ReadAllText(Path.Combine(RepositoryPaths.Functions, "Program.cs"));

        Assert.Contains($"new {nameof(HttpApiOptions)} {{ {nameof(HttpApiOptions.RequestTargetRebuiltByProxy)} = true }}", program, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionNames_AreUnique()
    {
        Assert.Equal(Functions.Count, Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    private static string[] Methods(DeclaredFunction function) => [.. function.Arguments.Skip(1)];

    private static string? Route(DeclaredFunction function) => function.Named.GetValueOrDefault("Route");
}
