using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// A worker's lease on a received message, renewed at half the lease against Azurite, when a renewal meets the end of the task
/// or fails: the handle the worker settles the message with must stay valid, or the message is hidden until the lease runs out
/// and then delivered again (a stall of up to a lease, and a duplicate).
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class MessageLeaseTests(AzuriteFixture azurite)
{
    /// <summary>Renewals come every second.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task StopAsync_RenewalInFlight_ReturnsTheRenewedHandle()
    {
        // The renewal reaches storage and is applied; its answer comes a moment later, after the task has ended.
        var slowAnswer = new SlowRenewalAnswer(TimeSpan.FromMilliseconds(300));
        var (backend, queue) = await QueueWithOneMessageAsync(slowAnswer);
        var received = Assert.Single(await backend.Queues.ReceiveAsync(queue, 1, Lease, CancellationToken.None));
        var lease = new MessageLease(backend.Queues, received, Lease, NullLogger.Instance, CancellationToken.None);
        await slowAnswer.Applied;

        var handle = await lease.StopAsync();
        await lease.DisposeAsync();

        Assert.NotNull(handle);
        Assert.NotEqual(received.PopReceipt, handle.PopReceipt);
        await backend.Queues.DeleteAsync(handle, CancellationToken.None);
        Assert.Equal(0, await MessagesAsync(backend, queue));
    }

    [Fact]
    public async Task StopAsync_RenewalFailed_ReturnsAHandleThatSettlesTheMessage()
    {
        var faults = new FaultInjectionPolicy();
        var (backend, queue) = await QueueWithOneMessageAsync(faults);
        var received = Assert.Single(await backend.Queues.ReceiveAsync(queue, 1, Lease, CancellationToken.None));
        // Every attempt of the first renewal fails before it reaches storage, the SDK's retries included.
        faults.FailNext(IsMessageUpdate, FaultTiming.BeforeSend, times: 10);
        var lease = new MessageLease(backend.Queues, received, Lease, NullLogger.Instance, CancellationToken.None);
        await Polling.UntilAsync(TimeSpan.FromSeconds(20), "the renewal to fail", () => Task.FromResult((faults.Injected >= 4, faults.Injected)));

        var handle = await lease.StopAsync();
        await lease.DisposeAsync();

        Assert.NotNull(handle);
        await backend.Queues.DeleteAsync(handle, CancellationToken.None);
        Assert.Equal(0, await MessagesAsync(backend, queue));
    }

    private async Task<(AzureStorageBackend Backend, string Queue)> QueueWithOneMessageAsync(HttpPipelinePolicy policy)
    {
        var backend = await TestBackends.CreateAsync(azurite, policy);
        var queue = QueueNames.Workflow(QueueNames.DefaultTaskQueue);
        await backend.Queues.EnsureQueueAsync(queue, CancellationToken.None);
        await backend.Queues.SendAsync(queue, new WorkflowTaskMessage { WorkflowId = "leased" }, TimeSpan.Zero, CancellationToken.None);
        return (backend, queue);
    }

    /// <summary>Messages in the queue, hidden ones included.</summary>
    private async Task<int> MessagesAsync(AzureStorageBackend backend, string queue)
    {
        var client = new QueueClient(azurite.ConnectionString, AzureStorageBackend.PhysicalQueueName(backend.Options.Prefix, queue));
        return (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
    }

    private static bool IsMessageUpdate(Request request) =>
        request.Method == RequestMethod.Put && request.Uri.Path.Contains("/messages/", StringComparison.Ordinal);

    /// <summary>Lets the first message update reach storage, then holds its answer back for <c>latency</c> (a slow network).</summary>
    private sealed class SlowRenewalAnswer(TimeSpan latency) : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource applied = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int seen;

        /// <summary>Completes when the first update has been applied by storage.</summary>
        public Task Applied => applied.Task;

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (IsMessageUpdate(message.Request) && Interlocked.Increment(ref seen) == 1)
            {
                applied.SetResult();
                await Task.Delay(latency, message.CancellationToken);
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
    }
}
