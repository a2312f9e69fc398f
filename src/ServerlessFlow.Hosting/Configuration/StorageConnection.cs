using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using ServerlessFlow.AzureStorage;

namespace ServerlessFlow.Hosting.Configuration;

/// <summary>Reads the storage connection the way Azure Functions reads a named connection, and turns it into backend options.</summary>
internal static class StorageConnection
{
    /// <summary>The credential value that selects the managed identity, as in Functions' identity-based connections.</summary>
    private const string ManagedIdentity = "managedidentity";

    /// <summary>Backend options for the connection, or null when none is configured.</summary>
    /// <exception cref="InvalidOperationException">The connection is configured, but incompletely.</exception>
    public static AzureStorageOptions? Read(IConfiguration configuration, string prefix)
    {
        var name = HostingSettingNames.StorageConnection;
        var connectionString = configuration[name] is { Length: > 0 } direct ? direct : configuration.GetConnectionString(name);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new AzureStorageOptions { ConnectionString = connectionString, Prefix = prefix };
        }

        var section = configuration.GetSection(name);
        if (!section.GetChildren().Any())
        {
            return null;
        }

        var account = section[HostingSettingNames.AccountName];
        var tables = Endpoint(section, HostingSettingNames.TableServiceUri, account, "table");
        var queues = Endpoint(section, HostingSettingNames.QueueServiceUri, account, "queue");
        return new AzureStorageOptions
        {
            TableServiceUri = tables,
            QueueServiceUri = queues,
            TokenCredential = Credential(section),
            Prefix = prefix,
        };
    }

    private static Uri Endpoint(IConfigurationSection section, string key, string? account, string service)
    {
        if (section[key] is { Length: > 0 } text)
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"Setting {section.Path}:{key} is '{text}', which is not an absolute URI. Use e.g. https://<account>.{service}.core.windows.net.");
        }

        return account is { Length: > 0 }
            ? new Uri($"https://{account}.{service}.core.windows.net")
            : throw new InvalidOperationException(
                $"Connection '{section.Path}' has no {key}. Set {section.Path}__{key} (or {section.Path}__{HostingSettingNames.AccountName}), " +
                $"or set {section.Path} to a connection string.");
    }

    private static TokenCredential Credential(IConfigurationSection section)
    {
        var clientId = section[HostingSettingNames.ClientId];
        var kind = section[HostingSettingNames.Credential];
        if (string.Equals(kind, ManagedIdentity, StringComparison.OrdinalIgnoreCase))
        {
            return new ManagedIdentityCredential(clientId is { Length: > 0 }
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned);
        }

        if (!string.IsNullOrEmpty(kind))
        {
            throw new InvalidOperationException(
                $"Setting {section.Path}:{HostingSettingNames.Credential} is '{kind}'; the only supported value is '{ManagedIdentity}' (leave it unset to use the developer's Azure sign-in).");
        }

        // No credential named: the developer's sign-in (Azure CLI, Visual Studio …) or an identity the environment provides.
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
