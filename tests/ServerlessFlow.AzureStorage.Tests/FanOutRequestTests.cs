using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// What a fan-out costs in storage requests when most of its activities go through the activity queue (the scheduling worker has
/// few free slots), counted by <see cref="RequestCounter"/> until the run's queues hold nothing: each activity used to cost its own
/// message, read, claim, timeout check, close and wake-up (about 13 requests); a batch per message shares them.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class FanOutRequestTests(AzuriteFixture azurite)
{
    private const int Activities = 200;

    [Fact]
    public async Task FanOut_MostActivitiesThroughTheQueue_CostsAtMostOneAndAHalfRequestsPerActivity()
    {
        var counter = new RequestCounter();
        var backend = await TestBackends.CreateAsync(azurite, counter);
        await backend.Visibility.InitializeAsync(CancellationToken.None);
        await using var services = TestBackends.Engine(backend, flow => flow
            .AddWorkflow<FansOutQuickly>().AddActivities<QuickActivities>()
            .ConfigureWorker(o => o with { MaxConcurrentActivities = 4, Retention = null }));
        var client = services.GetRequiredService<IWorkflowClient>();
        var queues = new[] { QueueNames.Workflow(QueueNames.DefaultTaskQueue), QueueNames.Activity(QueueNames.DefaultTaskQueue) }
            .Select(name => new QueueClient(azurite.ConnectionString, AzureStorageBackend.PhysicalQueueName(backend.Options.Prefix, name)))
            .ToList();
        await Task.WhenAll(queues.Select(q => q.CreateIfNotExistsAsync()));
        using var stop = new CancellationTokenSource();
        var worker = services.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
        counter.Reset();

        var handle = await client.StartWorkflowAsync(nameof(FansOutQuickly), Activities, new StartWorkflowOptions());
        var closed = await client.WaitForCloseAsync(handle.Id, TimeSpan.FromMinutes(3));
        // Everything the run left behind (timeout checks, wake-ups) is counted too: wait until its queues hold nothing, delayed messages included.
        await Polling.UntilAsync(TimeSpan.FromSeconds(60), "the run's queues to be empty", async () =>
        {
            var counts = await Task.WhenAll(queues.Select(q => q.GetPropertiesAsync()));
            return (counts.All(c => c.Value.ApproximateMessagesCount == 0), 0);
        }, counter.Describe);
        var spent = counter.Snapshot();
        await stop.CancelAsync();
        await worker;

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(Activities, closed.GetResult<int>());
        var history = await client.GetHistoryAsync(handle.Id);
        Assert.Equal(Activities, history.OfType<ActivityCompleted>().Select(c => c.ScheduledEventId).Distinct().Count());
        // At most the 196 queued activities in batches of 25 (8 messages), and never one per activity.
        Assert.InRange(spent.ByResource.GetValueOrDefault($"POST {queues[1].Name}"), 1, 8);
        Assert.True(spent.Total <= Activities * 3 / 2, $"{spent.Total} requests for {Activities} activities: {spent}");
    }
}

/// <summary>Schedules <c>count</c> quick activities in one workflow task and returns how many completed.</summary>
[Workflow]
public sealed class FansOutQuickly
{
    [WorkflowRun]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Workflow methods are instance methods the worker calls.")]
    public async Task<int> RunAsync(int count)
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1) };
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => Workflow.ExecuteActivityAsync((QuickActivities a) => a.One(), options)));
        return results.Sum();
    }
}
