namespace ServerlessFlow.Bench.Counting;

/// <summary>Tells which storage service ("blob", "queue", "table") a request URI addresses.</summary>
/// <remarks>
/// Emulators serve the three services on ports of one host, so the connection string's endpoints decide;
/// a real account's host names the service ("acct.queue.core.windows.net").
/// </remarks>
internal sealed class StorageEndpoints
{
    private readonly Dictionary<string, string> serviceByAuthority = new(StringComparer.OrdinalIgnoreCase);

    public StorageEndpoints(string connectionString)
    {
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !Uri.TryCreate(part[(equals + 1)..], UriKind.Absolute, out var endpoint))
            {
                continue;
            }

            var service = part[..equals].Trim().ToUpperInvariant() switch
            {
                "BLOBENDPOINT" => "blob",
                "QUEUEENDPOINT" => "queue",
                "TABLEENDPOINT" => "table",
                _ => null,
            };
            if (service is not null)
            {
                serviceByAuthority[endpoint.Authority] = service;
            }
        }
    }

    public string ServiceOf(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (serviceByAuthority.TryGetValue(uri.Authority, out var service))
        {
            return service;
        }

        var label = uri.Host.Split('.');
        return label.Length > 1 ? label[1] : "storage";
    }
}
