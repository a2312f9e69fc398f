using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// A timer's delayed wake-up is its only trigger. When that message is lost after it was sent (deleted from the queue here, as a
/// dead-lettering or an operator's clear would remove it), the recovery sweep finds the run's overdue timer on the instance row and
/// wakes the workflow, which fires the timer and goes on.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class LostTimerRecoveryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Sweep_TimerWakeUpDeletedFromTheQueue_FiresTheTimerAndTheRunCompletes()
    {
        var backend = await TestBackends.CreateAsync(azurite);
        await using var services = TestBackends.Engine(backend, flow => flow
            .AddWorkflow<SleepsOnce>()
            .ConfigureWorker(o => o with
            {
                MaxPollInterval = TimeSpan.FromMilliseconds(50), SweepInterval = TimeSpan.FromMilliseconds(200), StallThreshold = TimeSpan.FromMilliseconds(500), Retention = null,
            }));
        var client = services.GetRequiredService<IWorkflowClient>();
        var queue = new QueueClient(azurite.ConnectionString, AzureStorageBackend.PhysicalQueueName(backend.Options.Prefix, QueueNames.Workflow(QueueNames.DefaultTaskQueue)));
        using var stop = new CancellationTokenSource();
        var worker = services.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
        var id = "timer-" + Guid.NewGuid().ToString("N");

        await client.StartWorkflowAsync(nameof(SleepsOnce), null, new StartWorkflowOptions { Id = id });
        // The timer is started and its wake-up sent (the outbox flag is cleared after the send): then the wake-up is lost.
        var waiting = await Polling.UntilAsync(TimeSpan.FromSeconds(30), "the timer to be started and its wake-up sent", async () =>
        {
            var instance = await backend.Store.ReadInstanceAsync(id, CancellationToken.None);
            return (instance is { Timers.Count: 1, OutboxPending: false }, instance);
        });
        await queue.ClearMessagesAsync();
        var closed = await client.WaitForCloseAsync(id, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await worker;

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        var history = await client.GetHistoryAsync(id);
        var fired = Assert.Single(history.OfType<TimerFired>());
        Assert.True(fired.Timestamp >= waiting!.Timers[0].FireAt, "the timer fired before it was due");
    }
}

/// <summary>Waits on one durable timer of three seconds, then completes.</summary>
[Workflow]
public sealed class SleepsOnce
{
    /// <summary>Runs the workflow.</summary>
    [WorkflowRun]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Workflow methods are instance methods the worker calls.")]
    public async Task RunAsync() => await Workflow.DelayAsync(TimeSpan.FromSeconds(3));
}
