using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A message whose handling kills the process (kill -9, a stack overflow) never returns an outcome: its deliveries are counted
/// before it is handled again, so it reaches the dead-letter path after <see cref="WorkerOptions.MaxDeliveries"/> deliveries.
/// A dead process is stood in for by a receive that is never ended: the message comes back when its 1-second lease runs out,
/// exactly as a killed worker leaves it.
/// </summary>
public abstract class DeliveryCountTests : EngineSuite
{
    private const int MaxDeliveries = 3;
    private static readonly string Queue = QueueNames.Workflow("default");
    private static readonly TimeSpan ShortLease = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task HandleAsync_DeliveriesWhoseHandlingNeverEnded_DeadLettersPastTheLimitWithoutHandling()
    {
        var backend = NewBackend();
        await using var services = Services(backend);
        var handler = services.GetRequiredService<ITaskHandler>();
        await SendAsync(backend, "poison-" + Guid.NewGuid().ToString("N"));
        for (var crash = 1; crash <= MaxDeliveries; crash++)
        {
            Assert.Equal(crash, (await ReceiveAsync(backend, ShortLease)).DequeueCount); // taken, and the process dies
        }

        var last = await ReceiveAsync(backend, TimeSpan.FromMinutes(1));
        var outcome = await handler.HandleAsync(last, CancellationToken.None);

        var dead = Assert.IsType<TaskOutcome.DeadLetterOutcome>(outcome);
        Assert.StartsWith($"Delivered {MaxDeliveries + 1} times; the handling of {MaxDeliveries} of those deliveries never ended", dead.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_PutBackByItsWorkerMoreOftenThanTheLimit_CountsOnlyTheDeliveriesThatNeverEnded()
    {
        var backend = NewBackend();
        await using var services = Services(backend);
        var handler = services.GetRequiredService<ITaskHandler>();
        await SendAsync(backend, "busy-" + Guid.NewGuid().ToString("N"));
        for (var putBack = 1; putBack <= MaxDeliveries + 2; putBack++)
        {
            // What the worker does with a message whose handler asked to see it again later (a back-off, a re-armed check).
            await backend.Queues.SetVisibilityAsync(Redelivery.Settled(await ReceiveAsync(backend, TimeSpan.FromMinutes(1))), TimeSpan.Zero, CancellationToken.None);
        }

        await ReceiveAsync(backend, ShortLease); // one delivery whose process dies
        var next = await ReceiveAsync(backend, TimeSpan.FromMinutes(1));
        var outcome = await handler.HandleAsync(next, CancellationToken.None);

        Assert.Equal(MaxDeliveries + 4, next.DequeueCount);
        Assert.Equal((long)MaxDeliveries + 2, TaskMessage.TryParse(next.Body)?.SettledDeliveries);
        Assert.IsType<TaskOutcome.CompletedOutcome>(outcome); // handled: a workflow that does not exist is nothing to do
    }

    private static ServiceProvider Services(TestBackend backend)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddServerlessFlow(flow => flow
            .UseBackend(_ => backend.Store, _ => backend.Queues, _ => backend.Visibility, _ => backend.Schedules)
            .ConfigureWorker(o => o with { MaxDeliveries = MaxDeliveries }));
        return services.BuildServiceProvider();
    }

    private static async Task SendAsync(TestBackend backend, string workflowId)
    {
        await backend.Store.InitializeAsync(CancellationToken.None);
        await backend.Queues.EnsureQueueAsync(Queue, CancellationToken.None);
        await backend.Queues.SendAsync(Queue, new WorkflowTaskMessage { WorkflowId = workflowId }, TimeSpan.Zero, CancellationToken.None);
    }

    /// <summary>The one message of the queue, once visible, hidden for <paramref name="lease"/>.</summary>
    private static async Task<ReceivedMessage> ReceiveAsync(TestBackend backend, TimeSpan lease) =>
        Assert.Single(await Eventually.WaitAsync(() => backend.Queues.ReceiveAsync(Queue, 1, lease, CancellationToken.None), r => r.Count == 1));
}

public sealed class DeliveryCountTestsInMemory : DeliveryCountTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class DeliveryCountTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : DeliveryCountTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
