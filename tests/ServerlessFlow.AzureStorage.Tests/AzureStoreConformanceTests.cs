using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>The store conformance suite against Azure Table storage (Azurite), a fresh table per test.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class AzureStoreConformanceTests(AzuriteFixture azurite) : StoreConformanceTests
{
    protected override Task<IWorkflowStore> CreateStoreAsync() =>
        Task.FromResult(AzureStorageBackend.Create(TestBackends.Options(azurite)).Store);
}

/// <summary>The queue conformance suite against Azure Storage Queues (Azurite), fresh queue names per test.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class AzureQueueConformanceTests(AzuriteFixture azurite) : QueueConformanceTests
{
    protected override async Task<ITaskQueues> CreateQueuesAsync() => (await TestBackends.CreateAsync(azurite)).Queues;
}

/// <summary>The store conformance suite with a payload codec: every behaviour, 2 MB payloads included, holds with encoded payloads.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class AzureStoreConformanceTestsWithPayloadCodec(AzuriteFixture azurite) : StoreConformanceTests
{
    private static readonly Codec.AesGcmPayloadCodec Codec = new(new Codec.AesGcmPayloadCodecOptions
    {
        CurrentKeyId = "k1",
        Keys = new Dictionary<string, byte[]> { ["k1"] = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) },
    });

    protected override Task<IWorkflowStore> CreateStoreAsync() =>
        Task.FromResult(AzureStorageBackend.Create(TestBackends.Options(azurite) with { PayloadCodec = Codec }).Store);
}
