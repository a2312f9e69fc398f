using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>The visibility conformance suite against the in-memory index.</summary>
public sealed class InMemoryVisibilityConformanceTests(VisibilitySeed seed) : VisibilityConformanceTests(seed)
{
    protected override Task<IVisibilityStore> CreateStoreAsync() => Task.FromResult<IVisibilityStore>(new InMemoryVisibilityStore());
}
