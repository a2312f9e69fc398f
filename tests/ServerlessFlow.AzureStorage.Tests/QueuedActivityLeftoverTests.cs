using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// What a workflow whose activities go through the activity queue leaves behind once it has closed: every attempt claimed from
/// the queue sends a timeout check, due a minute later, which the attempt deletes once its outcome is recorded. Left in place,
/// each would later cost a receive, a read and a delete about a closed workflow, and a long run's checks would fill the
/// workflow queue that every receive pays for.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class QueuedActivityLeftoverTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Sequence_ActivitiesThroughTheQueue_LeavesNoMessageAndNoWakeupArmed()
    {
        var backend = await TestBackends.CreateAsync(azurite);
        await backend.Visibility.InitializeAsync(CancellationToken.None);
        await using var services = TestBackends.Engine(backend, flow => flow
            .AddWorkflow<ThreeQuickSteps>().AddActivities<QuickActivities>()
            // No eager execution: every step's activity goes through the activity queue and is claimed from it.
            .ConfigureWorker(o => o with { EagerExecutionBudget = TimeSpan.Zero, EagerStart = false, Retention = null }));
        using var stop = new CancellationTokenSource();
        var worker = services.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
        var client = services.GetRequiredService<IWorkflowClient>();
        var wakeups = services.GetRequiredService<LocalWakeups>();
        var queues = new[] { QueueNames.Workflow(QueueNames.DefaultTaskQueue), QueueNames.Activity(QueueNames.DefaultTaskQueue) }
            .Select(q => new QueueClient(azurite.ConnectionString, AzureStorageBackend.PhysicalQueueName(backend.Options.Prefix, q)))
            .ToList();

        var handle = await client.StartWorkflowAsync(nameof(ThreeQuickSteps), null, new StartWorkflowOptions { Id = "queued-" + Guid.NewGuid().ToString("N") });
        var closed = await client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(60));

        // Well before the checks would come due (a minute after each claim): only their deletion empties the queues this soon.
        var left = await Polling.UntilAsync(TimeSpan.FromSeconds(20), "the queues to hold no message", async () =>
        {
            var counts = await Task.WhenAll(queues.Select(async q => (await q.GetPropertiesAsync()).Value.ApproximateMessagesCount));
            return (counts.Sum() == 0 && wakeups.Armed == 0, counts.Sum());
        }, () => $"{wakeups.Armed} wake-ups armed");
        await stop.CancelAsync();
        await worker;

        Assert.Equal(3, closed.GetResult<int>());
        Assert.Equal(0, left);
    }
}
