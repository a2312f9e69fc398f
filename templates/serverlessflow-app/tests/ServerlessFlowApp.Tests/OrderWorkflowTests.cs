using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.History;

namespace ServerlessFlowApp.Tests;

/// <summary>The order workflow on the in-memory backend: the real engine and worker, no storage.</summary>
public sealed class OrderWorkflowTests : IAsyncLifetime
{
    private readonly CancellationTokenSource stop = new();
    private ServiceProvider services = null!;
    private Task worker = Task.CompletedTask;

    private IWorkflowClient Client => services.GetRequiredService<IWorkflowClient>();

    public Task InitializeAsync()
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddServerlessFlow(flow => flow.AddAppWorkflows().UseInMemoryBackend());
        services = collection.BuildServiceProvider();
        worker = services.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await worker;
        await services.DisposeAsync();
        stop.Dispose();
    }

    [Fact]
    public async Task RunAsync_ShippableOrder_ShipsWithATrackingNumber()
    {
        var closed = await RunAsync(new Order("order-1", "book", 1, 12.5m));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(new OrderResult("order-1", "shipped", "TRACK-order-1"), closed.GetResult<OrderResult>());
    }

    [Fact]
    public async Task RunAsync_ShippingFails_RefundsAfterTheRetries()
    {
        var closed = await RunAsync(new Order("order-2", "unshippable", 1, 12.5m));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(new OrderResult("order-2", "refunded", null), closed.GetResult<OrderResult>());
        var history = await Client.GetHistoryAsync("order-2");
        var shipFailure = Assert.Single(history.OfType<ActivityFailed>());
        Assert.Equal(3, shipFailure.Attempt);
        Assert.Equal(["Reserve", "Charge", "Ship", "Refund", "Release"], history.OfType<ActivityScheduled>().Select(e => e.ActivityName));
    }

    [Fact]
    public async Task RunAsync_NothingOrdered_FailsWithoutRetrying()
    {
        var closed = await RunAsync(new Order("order-3", "book", 0, 0m));

        Assert.Equal(WorkflowStatus.Failed, closed.Status);
        var history = await Client.GetHistoryAsync("order-3");
        var reserveFailure = Assert.Single(history.OfType<ActivityFailed>());
        Assert.Equal(1, reserveFailure.Attempt);
        Assert.Equal("OutOfStock", reserveFailure.Failure.Type);
    }

    private async Task<WorkflowDescription> RunAsync(Order order)
    {
        await Client.StartWorkflowAsync(nameof(OrderWorkflow), order, new StartWorkflowOptions { Id = order.OrderId });
        return await Client.WaitForCloseAsync(order.OrderId, TimeSpan.FromSeconds(30));
    }
}
