namespace ServerlessFlow.DevServer;

/// <summary>The dev server's own command-line options. Everything else (e.g. <c>--urls</c>) goes to ASP.NET Core.</summary>
internal sealed record DevServerOptions
{
    /// <summary>Where the HTTP API listens unless <c>--urls</c> (or ASPNETCORE_URLS) says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>Use this storage instead of launching Azurite.</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary>Comma-separated task queues to serve; the hosting default when null.</summary>
    public string? TaskQueues { get; init; }

    /// <summary>Storage name prefix; the hosting default when null.</summary>
    public string? Prefix { get; init; }

    /// <summary>Where Azurite persists; the program's default when null.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Run Azurite without persistence (nothing survives a restart).</summary>
    public bool InMemory { get; init; }

    /// <summary>Export traces and metrics to the console.</summary>
    public bool TelemetryConsole { get; init; }

    /// <summary>Append every finished span as a JSON line to this file; null for none.</summary>
    public string? TraceFile { get; init; }

    /// <summary>Print usage and exit.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>Arguments for ASP.NET Core (<c>--urls</c>, <c>--environment</c> …).</summary>
    public IReadOnlyList<string> HostArguments { get; init; } = [];

    public static string Usage => """
        Usage: dotnet run -- [options]     (or: serverlessflow-dev [options] in the ServerlessFlow repository)

        Starts Azurite (the Azure Storage emulator), the ServerlessFlow engine with this program's workflows, and its HTTP API.
        Azurite is the project's own (node_modules), a global one, or else installed once into .serverlessflow/azurite;
        its data is kept in .serverlessflow/data in the project folder.

        Options:
          --urls <urls>                        Where the HTTP API listens (default http://127.0.0.1:7071); loopback
                                               only (127.0.0.1, [::1] or localhost): the API has no authentication.
          --storage-connection-string <cs>     Use this storage instead of launching Azurite.
          --in-memory                          Run Azurite without persistence (state is lost on exit).
          --data-folder <folder>               Where Azurite keeps its data (default: .serverlessflow/data in the project).
          --task-queues <a,b>                  Task queues to serve (default: default).
          --prefix <prefix>                    Prefix of table and queue names (default: sf).
          --otel-console                       Print traces and metrics (OpenTelemetry) to the console.
          --trace-file <file>                  Append every finished span to <file> as a JSON line.
                                               OTLP export: set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4317).
          --help                               Show this help.
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="ArgumentException">An option lacks its value, or two options conflict.</exception>
    public static DevServerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DevServerOptions();
        var host = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = Split(args[i]);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"Option {name} needs a value."));
            switch (name)
            {
                case "--storage-connection-string":
                    options = options with { StorageConnectionString = Value() };
                    break;
                case "--task-queues":
                    options = options with { TaskQueues = Value() };
                    break;
                case "--prefix":
                    options = options with { Prefix = Value() };
                    break;
                case "--data-folder":
                    options = options with { DataFolder = Value() };
                    break;
                case "--otel-console":
                    options = options with { TelemetryConsole = true };
                    break;
                case "--trace-file":
                    options = options with { TraceFile = Path.GetFullPath(Value()) };
                    break;
                case "--in-memory":
                    options = options with { InMemory = true };
                    break;
                case "--help" or "-h" or "-?":
                    options = options with { ShowHelp = true };
                    break;
                default:
                    host.Add(args[i]); // ASP.NET Core's, e.g. --urls and its value.
                    break;
            }
        }

        if ((options.InMemory || options.DataFolder is not null) && options.StorageConnectionString is not null)
        {
            throw new ArgumentException("--in-memory and --data-folder configure the Azurite the dev server launches; they cannot be combined with --storage-connection-string.");
        }

        if (options.InMemory && options.DataFolder is not null)
        {
            throw new ArgumentException("--in-memory keeps no data; it cannot be combined with --data-folder.");
        }

        return options with { HostArguments = host };
    }

    /// <summary>
    /// Why <paramref name="urls"/> (the <c>--urls</c> or ASPNETCORE_URLS value, ';'-separated) cannot be used: an address other
    /// than loopback. The dev server's API has no authentication, so it never listens where other machines can reach it.
    /// Null when every URL is on loopback (or none is given).
    /// </summary>
    public static string? NonLoopbackProblem(string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = Uri.TryCreate(url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                ? uri.Host
                : null;
            var loopback = host is not null && (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address)));
            if (!loopback)
            {
                return $"The dev server listens on loopback only (its API has no authentication), but --urls asks for '{url}'. " +
                       "Use http://127.0.0.1:<port>, http://[::1]:<port> or http://localhost:<port>; to serve other machines, deploy the Function App (docs/deploy.md).";
            }
        }

        return null;
    }

    private static (string Name, string? Inline) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }
}
