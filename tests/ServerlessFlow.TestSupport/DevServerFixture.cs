using Xunit;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// Azurite and one dev server process on it, for a test assembly that drives the server from outside (the CLI and web
/// UI tests). Tests share the server and keep apart by unique workflow and schedule IDs.
/// </summary>
public sealed class DevServerFixture : IAsyncLifetime
{
    private readonly AzuriteFixture azurite = new();
    private DevServerProcess? server;

    /// <summary>The running dev server.</summary>
    public DevServerProcess Server => server ?? throw new InvalidOperationException("Use DevServerFixture as an xunit fixture, which starts the server before the tests run.");

    /// <summary>The table and queue prefix of this server's storage.</summary>
    public string Prefix { get; } = "ext" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A connection string to the Azurite the server uses.</summary>
    public string ConnectionString => azurite.ConnectionString;

    /// <summary>Starts Azurite, then the dev server on it.</summary>
    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();
        server = await DevServerProcess.StartAsync(azurite.ConnectionString, Prefix);
    }

    /// <summary>Stops the dev server, then Azurite.</summary>
    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        await azurite.DisposeAsync();
    }
}
