using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using ServerlessFlow.Engine.Diagnostics;

namespace ServerlessFlow.Functions;

/// <summary>
/// OpenTelemetry in the Function App: the Functions worker's own spans and logs (UseFunctionsWorkerDefaults), the
/// engine's source and meter, exported to Application Insights by the Azure Monitor exporter. Infra sets the connection
/// string (an address: local authentication is off) and the authentication string naming the user-assigned identity,
/// whose Entra ID token is what ingestion accepts.
/// </summary>
internal static class FunctionAppTelemetry
{
    /// <summary>The component's address, set by infra/modules/functionApp.bicep.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>"ClientId={id};Authorization=AAD": the identity whose token authenticates ingestion.</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Adds the providers; the exporter only where a connection string is configured (not in local runs and tests).</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(ServerlessFlowTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(ServerlessFlowTelemetry.Name));
        if (configuration[ConnectionStringSetting] is { Length: > 0 } connectionString)
        {
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = Credential(configuration[AuthenticationStringSetting]);
            });
        }
    }

    /// <summary>The managed identity the authentication string names; null (key-less ingestion refused) when it names none.</summary>
    private static ManagedIdentityCredential? Credential(string? authenticationString)
    {
        var parts = (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
