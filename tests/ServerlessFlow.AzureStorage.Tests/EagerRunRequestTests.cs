using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// What a short workflow run eagerly in one process costs in storage requests, counted by <see cref="RequestCounter"/>, and
/// what it leaves in the queue for later.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class EagerRunRequestTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Sequence_ClosedWhereItsCheckWasArmed_DeletesTheCheckAndClearsNoOutboxFlag()
    {
        var counter = new RequestCounter();
        var backend = await TestBackends.CreateAsync(azurite, counter);
        await backend.Visibility.InitializeAsync(CancellationToken.None);
        await using var services = TestBackends.Engine(backend, flow => flow.AddWorkflow<ThreeQuickSteps>().AddActivities<QuickActivities>());
        var client = services.GetRequiredService<IWorkflowClient>();
        var queue = new QueueClient(azurite.ConnectionString, AzureStorageBackend.PhysicalQueueName(backend.Options.Prefix, QueueNames.Workflow(QueueNames.DefaultTaskQueue)));
        await queue.CreateIfNotExistsAsync();
        counter.Reset();

        var handle = await client.StartWorkflowAsync(nameof(ThreeQuickSteps), null, new StartWorkflowOptions { Id = "eager-" + Guid.NewGuid().ToString("N") });
        var closed = await client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(3, closed.GetResult<int>());
        // The run's one activity check is due a minute after its first step; it is deleted right after the close, by this process.
        await Polling.UntilAsync(TimeSpan.FromSeconds(20), "the activity check to be deleted", async () =>
        {
            var properties = await queue.GetPropertiesAsync();
            return (properties.Value.ApproximateMessagesCount == 0, 0);
        }, counter.Describe);
        var counts = counter.Snapshot();
        var physical = queue.Name;
        Assert.Equal(1, counts.ByResource.GetValueOrDefault($"POST {physical}")); // the check, sent by the first step; the start sends nothing
        Assert.Equal(1, counts.ByResource.GetValueOrDefault($"DELETE {physical}")); // the check, withdrawn after the close
        var table = AzureStorageBackend.WorkflowTableName(backend.Options.Prefix);
        Assert.Equal(0, counts.ByResource.GetValueOrDefault($"MERGE {table}") + counts.ByResource.GetValueOrDefault($"PATCH {table}")); // no flag cleared
    }
}

/// <summary>Three activities in sequence, each with a minute's start-to-close timeout.</summary>
[Workflow]
public sealed class ThreeQuickSteps
{
    [WorkflowRun]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Workflow methods are instance methods the worker calls.")]
    public async Task<int> RunAsync()
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1) };
        var sum = 0;
        for (var i = 0; i < 3; i++)
        {
            sum += await Workflow.ExecuteActivityAsync((QuickActivities a) => a.One(), options);
        }

        return sum;
    }
}

/// <summary>An activity that returns at once.</summary>
public sealed class QuickActivities
{
    /// <summary>Returns 1.</summary>
    [Activity]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Activities are instance methods the worker resolves.")]
    public int One() => 1;
}

