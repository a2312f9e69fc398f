using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// A worker whose lease on a message was lost while it handled it (the message's receipt went stale: it will reappear when its
/// visibility runs out) must not also send a copy of it when the handling asks for a retry: the message and the copy would each
/// be handled and each ask for follow-ups — one logical task become two chains.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class LostLeaseRetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Worker_LeaseLostWhileTheHandlerAsksForARetry_TheTaskStaysOneMessage()
    {
        var backend = await TestBackends.CreateAsync(azurite);
        var queue = QueueNames.Workflow(QueueNames.DefaultTaskQueue);
        await backend.Queues.EnsureQueueAsync(queue, CancellationToken.None);
        await backend.Queues.SendAsync(queue, new TaskMessage { Kind = TaskKind.Workflow, WorkflowId = "one-task" }, TimeSpan.Zero, CancellationToken.None);
        var handler = new LosesItsLease(backend.Queues);
        await using var services = TestBackends.Engine(backend, flow =>
        {
            flow.ConfigureWorker(o => o with { MessageLease = TimeSpan.FromSeconds(1), MaxPollInterval = TimeSpan.FromMilliseconds(50), Retention = null });
            flow.Services.AddSingleton<ITaskHandler>(handler);
        });
        using var stop = new CancellationTokenSource();
        var worker = services.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);

        // Every workflow-task slot free again once the first delivery returned: the worker has done all it does with that outcome.
        var slots = services.GetRequiredService<ServerlessFlow.Engine.Runtime.WorkflowTaskSlots>().Semaphore;
        var maxSlots = services.GetRequiredService<WorkerOptions>().MaxConcurrentWorkflowTasks;
        await handler.FirstReturned.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Polling.UntilAsync(TimeSpan.FromSeconds(30), "the worker to be done with both deliveries", () => Task.FromResult((slots.CurrentCount == maxSlots, slots.CurrentCount)));
        await stop.CancelAsync();
        await worker;

        var physical = new QueueClient(azurite.ConnectionString, AzureStorageBackend.PhysicalQueueName(backend.Options.Prefix, queue));
        Assert.Equal(1, (await physical.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    /// <summary>
    /// The first delivery makes its own receipt stale (the message reappears in a second, as when a lease runs out), waits until the
    /// message is delivered again, and asks for a retry. Later deliveries ask for a retry an hour away: the message stays.
    /// </summary>
    private sealed class LosesItsLease(ITaskQueues queues) : ITaskHandler
    {
        private readonly TaskCompletionSource redelivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int deliveries;

        public TaskCompletionSource FirstReturned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<TaskOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref deliveries) > 1)
            {
                redelivered.TrySetResult();
                return TaskOutcome.RetryAfter(TimeSpan.FromHours(1));
            }

            await queues.SetVisibilityAsync(message, TimeSpan.FromSeconds(1), cancellationToken);
            await redelivered.Task.WaitAsync(cancellationToken);
            FirstReturned.TrySetResult();
            return TaskOutcome.RetryAfter(TimeSpan.FromSeconds(1));
        }
    }
}
