using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// A delayed start whose starter dies between its commit and its send (storage refuses every attempt of the send, as a
/// killed process never makes it): whoever next loads the instance — the signal's wake-up or the recovery sweep — sends the
/// start's delayed wake-up from the outbox the commit recorded, and the run begins at its due time.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class StartDelayRecoveryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task StartWorkflowAsync_StartDelayAndItsSendNeverMade_OutboxIsSentLaterAndTheRunBeginsAtItsDueTimeWithTheSignal()
    {
        var faults = new FaultInjectionPolicy();
        var backend = await TestBackends.CreateAsync(azurite, faults);
        await using var services = TestBackends.Engine(backend, flow => flow
            .AddWorkflow<WaitsForSignal>()
            .ConfigureWorker(o => o with
            {
                MaxPollInterval = TimeSpan.FromMilliseconds(50), SweepInterval = TimeSpan.FromMilliseconds(200), StallThreshold = TimeSpan.FromMilliseconds(500), Retention = null,
            }));
        using var stop = new CancellationTokenSource();
        var worker = services.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
        var client = services.GetRequiredService<IWorkflowClient>();
        var id = "delayed-" + Guid.NewGuid().ToString("N");

        // Every attempt of the start's one send (the SDK's retries included) fails before it reaches storage — and so does any
        // other send until the start has failed: the sweep may find the start's outbox pending meanwhile and send it (or a wake-up
        // whose task sends it), and a fault budget it used up would let the start's last retry through.
        faults.FailNext(FaultInjectionPolicy.IsQueueSend, FaultTiming.BeforeSend, times: int.MaxValue);
        await Assert.ThrowsAnyAsync<Exception>(() => client.StartWorkflowAsync(nameof(WaitsForSignal), null, new StartWorkflowOptions { Id = id, StartDelay = TimeSpan.FromSeconds(2) }));
        faults.Clear();
        var orphaned = await client.DescribeWorkflowAsync(id);
        await client.SignalWorkflowAsync(id, "go", null);
        var closed = await client.WaitForCloseAsync(id, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await worker;

        Assert.Equal((WorkflowStatus.Running, 1L), (orphaned.Status, orphaned.HistoryLength));
        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        var history = await client.GetHistoryAsync(id);
        Assert.Contains(history, e => e is WorkflowSignaled { SignalName: "go" });
        Assert.All(history.Skip(1), e => Assert.True(e.Timestamp >= orphaned.FirstTaskDueAt, $"{e.Describe()} ran before the due time"));
    }
}
