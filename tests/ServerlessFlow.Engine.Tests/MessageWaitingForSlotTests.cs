using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Activities;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A received message may wait for a free slot (one that a batch's extra lane or an eager attempt took after the receive) for longer
/// than its visibility timeout: it must keep its lease meanwhile, or it reappears and a second worker takes the same work.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class MessageWaitingForSlotTests(ServerlessFlow.TestSupport.AzuriteFixture azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Poll_MessageWaitsForASlotLongerThanItsLease_ItsLeaseIsRenewedAndItIsDeliveredOnce()
    {
        var renewals = new RenewalCounter();
        var backend = TestBackend.Azure(azurite, renewals);
        var queue = QueueNames.Activity("default");
        await backend.Queues.EnsureQueueAsync(queue, CancellationToken.None);
        // Both visible before the worker polls: one receive takes the two (two slots are free).
        foreach (var id in new[] { "first", "second" })
        {
            await backend.Queues.SendAsync(queue, new WorkflowTaskMessage { WorkflowId = id }, TimeSpan.Zero, CancellationToken.None);
        }

        TakesTheOtherSlot? handler = null;
        var worker = new EngineHarness(
            b =>
            {
                b.ConfigureWorker(o => o with { MessageLease = Lease, MaxConcurrentActivities = 2 });
                b.Services.AddSingleton<ITaskHandler>(sp => handler = new TakesTheOtherSlot(sp.GetRequiredService<ActivitySlots>()));
            },
            backend);
        try
        {
            // The first message handled holds both slots; the second waits. Three renewals of each: longer than a lease has passed.
            await Eventually.WaitAsync(() => Task.FromResult(renewals.PerMessage()), seen => seen.Count == 2 && seen.Values.All(n => n >= 3));
            Assert.Empty(await backend.Queues.ReceiveAsync(queue, 32, TimeSpan.FromMinutes(1), CancellationToken.None)); // still hidden

            handler!.Release();
            var waiterDeliveries = await handler.WaiterDelivered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, waiterDeliveries);
        }
        finally
        {
            handler?.Release();
            await worker.DisposeAsync();
        }
    }

    /// <summary>The first message it handles takes the worker's other activity slot (as a batch's extra lane does) and holds both until released.</summary>
    private sealed class TakesTheOtherSlot(ActivitySlots slots) : ITaskHandler
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int handled;

        /// <summary>The dequeue count of the message that waited, when it is handled.</summary>
        public TaskCompletionSource<long> WaiterDelivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => released.TrySetResult();

        public async Task<TaskOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref handled) > 1)
            {
                WaiterDelivered.TrySetResult(message.DequeueCount);
                return TaskOutcome.Completed;
            }

            var tookOther = slots.TryTake();
            try
            {
                await released.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                if (tookOther)
                {
                    slots.Release();
                }
            }

            return TaskOutcome.Completed;
        }
    }

    /// <summary>Counts visibility updates (lease renewals) per queue message.</summary>
    private sealed class RenewalCounter : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);

        public Dictionary<string, int> PerMessage() => counts.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

        public override void OnReceivedResponse(HttpMessage message)
        {
            var path = message.Request.Uri.Path;
            if (message.Request.Method == RequestMethod.Put && path.Contains("/messages/", StringComparison.Ordinal) && message.Response.Status < 300)
            {
                counts.AddOrUpdate(path[(path.LastIndexOf('/') + 1)..], 1, (_, n) => n + 1);
            }
        }
    }
}
