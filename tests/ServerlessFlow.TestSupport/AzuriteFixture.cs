using ServerlessFlow.Azurite;
using Xunit;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// An in-memory Azurite on free loopback ports for a test assembly, launched and stopped (by its PID) with
/// <see cref="AzuriteProcess"/>. Use one per test assembly (a collection fixture): tests isolate themselves
/// with unique table and queue names, not with separate emulators. It never skips: when Azurite is not
/// installed it fails and says how to install it.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    /// <summary>The blob port.</summary>
    public int BlobPort => Running.BlobPort;

    /// <summary>The queue port.</summary>
    public int QueuePort => Running.QueuePort;

    /// <summary>The table port.</summary>
    public int TablePort => Running.TablePort;

    /// <summary>A connection string to this Azurite's blob, queue and table endpoints.</summary>
    public string ConnectionString => Running.ConnectionString;

    private AzuriteProcess Running => azurite
        ?? throw new InvalidOperationException("Azurite is not running: use AzuriteFixture as an xunit fixture, which starts it before the tests run.");

    /// <summary>The directory with the solution file and package.json, searched upward from the test binaries.</summary>
    public static string FindRepositoryRoot() => AzuriteLocator.FindRepositoryRoot();

    /// <summary>Starts Azurite and waits until its ports accept connections.</summary>
    public async Task InitializeAsync() => azurite = await AzuriteProcess.StartAsync(new AzuriteOptions());

    /// <summary>Stops Azurite: SIGTERM to its PID, then SIGKILL to the same PID if it has not exited in time.</summary>
    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
            azurite = null;
        }
    }
}
