using ServerlessFlow.AzureStorage;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>A backend for one test: in memory, or on the shared Azurite with table and queue names of its own.</summary>
internal sealed record TestBackend(IWorkflowStore Store, ITaskQueues Queues, IVisibilityStore Visibility, IScheduleStore Schedules, InMemoryBackend? Memory)
{
    public static TestBackend InMemory(TimeProvider? time = null)
    {
        var memory = new InMemoryBackend(time ?? TimeProvider.System);
        return new TestBackend(memory, memory, new InMemoryVisibilityStore(), new InMemoryScheduleStore(), memory);
    }

    public static TestBackend Azure(AzuriteFixture azurite, params Azure.Core.Pipeline.HttpPipelinePolicy[] policies)
    {
        var backend = AzureStorageBackend.Create(new AzureStorageOptions
        {
            ConnectionString = azurite.ConnectionString, Prefix = "e" + Guid.NewGuid().ToString("N")[..12], RetryDelay = TimeSpan.FromMilliseconds(20),
            Policies = policies,
        });
        return new TestBackend(backend.Store, backend.Queues, backend.Visibility, backend.Schedules, null);
    }
}

/// <summary>One Azurite for the whole assembly.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteSuite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>Base of the suites that run against every backend: each has an in-memory and an Azurite subclass.</summary>
public abstract class EngineSuite
{
    internal abstract TestBackend NewBackend();
}
