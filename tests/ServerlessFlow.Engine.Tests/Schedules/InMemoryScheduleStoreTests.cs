using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests.Schedules;

/// <summary>The schedule store conformance suite against the in-memory store, a fresh one per test.</summary>
public sealed class InMemoryScheduleStoreTests : ScheduleStoreConformanceTests
{
    protected override Task<IScheduleStore> CreateStoreAsync() => Task.FromResult<IScheduleStore>(new InMemoryScheduleStore());
}
