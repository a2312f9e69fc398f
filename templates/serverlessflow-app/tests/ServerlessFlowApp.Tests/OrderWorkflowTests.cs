using System.Collections.Concurrent;
using ServerlessFlow;
using ServerlessFlow.Engine;
using ServerlessFlow.History;
using ServerlessFlow.Testing;

namespace ServerlessFlowApp.Tests;

/// <summary>
/// The order workflow in the test environment: the real engine and worker in memory, on a virtual clock that skips
/// ahead to the next timer or retry while a test waits for a result, so back-offs and timers cost no real time.
/// </summary>
public sealed class OrderWorkflowTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_ShippableOrder_ShipsWithATrackingNumber()
    {
        await using var env = await StartAsync();

        var handle = await env.Client.StartWorkflowAsync((OrderWorkflow wf) => wf.RunAsync(new Order("order-1", "book", 1, 12.5m)), new StartWorkflowOptions { Id = "order-1" });

        Assert.Equal(new OrderResult("order-1", "shipped", "TRACK-order-1"), await handle.GetResultAsync());
        Assert.Equal("shipped", await handle.QueryAsync(wf => wf.Stage()));
    }

    [Fact]
    public async Task RunAsync_ShippingFails_RefundsAfterTheRetries()
    {
        await using var env = await StartAsync();

        var handle = await env.Client.StartWorkflowAsync((OrderWorkflow wf) => wf.RunAsync(new Order("order-2", "unshippable", 1, 12.5m)), new StartWorkflowOptions { Id = "order-2" });

        Assert.Equal(new OrderResult("order-2", "refunded", null), await handle.GetResultAsync());
        var history = (await handle.GetHistoryAsync()).Events;
        Assert.Equal(3, Assert.Single(history.OfType<ActivityFailed>()).Attempt);
        Assert.Equal(["Reserve", "Charge", "Ship", "Refund", "Release"], history.OfType<ActivityScheduled>().Select(e => e.ActivityName));
        // The retries' back-off (1 s, then 2 s) passed on the virtual clock.
        Assert.True(env.UtcNow - Start >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RunAsync_NothingOrdered_FailsWithoutRetrying()
    {
        await using var env = await StartAsync();

        var handle = await env.Client.StartWorkflowAsync((OrderWorkflow wf) => wf.RunAsync(new Order("order-3", "book", 0, 0m)), new StartWorkflowOptions { Id = "order-3" });

        var failed = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync());
        Assert.Equal(WorkflowStatus.Failed, failed.Status);
        var reserveFailure = Assert.Single((await handle.GetHistoryAsync()).Events.OfType<ActivityFailed>());
        Assert.Equal(1, reserveFailure.Attempt);
        Assert.Equal("OutOfStock", reserveFailure.Failure.Type);
    }

    [Fact]
    public async Task RunAsync_CarrierReplacedByAFake_ShipsWithTheFakesTrackingNumber()
    {
        // An activity that calls one of your systems (a carrier, a payment provider) is replaced by name with a fake
        // that takes the activity's arguments.
        var shipped = new ConcurrentQueue<string>();
        await using var env = await StartAsync(flow => flow.ReplaceActivity("Ship", (Order order) =>
        {
            shipped.Enqueue(order.OrderId);
            return Task.FromResult("FAKE-CARRIER-1");
        }));

        var result = await env.Client.ExecuteWorkflowAsync((OrderWorkflow wf) => wf.RunAsync(new Order("order-4", "book", 2, 25m)), new StartWorkflowOptions { Id = "order-4" });

        Assert.Equal(new OrderResult("order-4", "shipped", "FAKE-CARRIER-1"), result);
        Assert.Equal(["order-4"], shipped);
    }

    /// <summary>An environment with the app's workflows and activities (<see cref="AppWorkflows.AddAppWorkflows"/>), then the test's fakes.</summary>
    private static Task<WorkflowTestEnvironment> StartAsync(Action<ServerlessFlowBuilder>? fakes = null) =>
        WorkflowTestEnvironment.StartAsync(
            flow =>
            {
                flow.AddAppWorkflows();
                fakes?.Invoke(flow);
            },
            new WorkflowTestEnvironmentOptions { StartTime = Start });
}
