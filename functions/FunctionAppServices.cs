using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Hosting;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Functions;

/// <summary>
/// The Function App's services, in one method that Program.cs calls and the tests compose, so that a
/// registration mistake fails in CI rather than on Azure. Everything the functions run comes from the
/// hosting library, exactly as in the dev server.
/// </summary>
public static class FunctionAppServices
{
    /// <summary>Adds OpenTelemetry (to Application Insights), the engine with the samples, storage initialization and the HTTP API options.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app settings (see <see cref="Hosting.Configuration.HostingSettingNames"/>).</param>
    public static IServiceCollection AddFunctionApp(this IServiceCollection services, IConfiguration configuration)
    {
        FunctionAppTelemetry.Add(services, configuration);
        services.AddServerlessFlowHosting(configuration, flow => flow.AddSamples());
        services.AddServerlessFlowStorageInitialization();

        // The Functions host forwards each HTTP request to this worker with a path it rebuilds from its decoded
        // form, so %2F and %252F arrive alike: path IDs that would be ambiguous are refused with 400, never misread.
        services.AddSingleton(new HttpApiOptions { RequestTargetRebuiltByProxy = true });
        return services;
    }
}
