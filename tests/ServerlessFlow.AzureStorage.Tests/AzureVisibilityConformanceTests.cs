using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;
using Xunit.Abstractions;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>The visibility conformance suite against Azure Table storage (Azurite); its output lists the requests each listing took.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class AzureVisibilityConformanceTests(AzuriteFixture azurite, VisibilitySeed seed, ITestOutputHelper output) : VisibilityConformanceTests(seed)
{
    /// <summary>Counts the requests of the seeded store and of the fresh ones (one per class: its tests run one at a time).</summary>
    private static readonly RequestCounter Counter = new();

    protected override Task<IVisibilityStore> CreateStoreAsync() =>
        Task.FromResult(AzureStorageBackend.Create(TestBackends.Options(azurite, Counter)).Visibility);

    protected override void Report(string line) => output.WriteLine(line);

    protected override string CostSinceLastReport()
    {
        var counts = Counter.Snapshot();
        Counter.Reset();
        return $" — {counts.Total} requests ({counts})";
    }
}
