using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>The store conformance suite against the in-memory backend.</summary>
public sealed class InMemoryStoreConformanceTests : StoreConformanceTests
{
    protected override Task<IWorkflowStore> CreateStoreAsync() => Task.FromResult<IWorkflowStore>(new InMemoryBackend(TimeProvider.System));
}
