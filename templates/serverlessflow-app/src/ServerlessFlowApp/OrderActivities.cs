using Microsoft.Extensions.Logging;
using ServerlessFlow;

namespace ServerlessFlowApp;

/// <summary>
/// The order's side effects. The class is created through dependency injection for every call, so it can take
/// HttpClient, a DbContext or any service. These examples only log; replace them with calls to your systems.
/// </summary>
public sealed partial class OrderActivities(ILogger<OrderActivities> logger)
{
    /// <summary>Reserves the stock; an order of nothing fails without retries (error type "OutOfStock").</summary>
    [Activity]
    public Task ReserveAsync(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Quantity <= 0)
        {
            throw new ApplicationFailureException($"Order {order.OrderId} asks for {order.Quantity} of {order.Item}.", "OutOfStock", nonRetryable: true);
        }

        LogStep(logger, "reserved", order.OrderId);
        return Task.CompletedTask;
    }

    /// <summary>Charges the payment.</summary>
    [Activity]
    public Task ChargeAsync(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        LogStep(logger, "charged", order.OrderId);
        return Task.CompletedTask;
    }

    /// <summary>Ships the order and returns its tracking number; an item named "unshippable" fails, to show the refund.</summary>
    [Activity]
    public Task<string> ShipAsync(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Item == "unshippable")
        {
            throw new InvalidOperationException($"No carrier takes {order.Item}.");
        }

        LogStep(logger, "shipped", order.OrderId);
        return Task.FromResult($"TRACK-{order.OrderId}");
    }

    /// <summary>Refunds the payment.</summary>
    [Activity]
    public Task RefundAsync(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        LogStep(logger, "refunded", order.OrderId);
        return Task.CompletedTask;
    }

    /// <summary>Releases the reserved stock.</summary>
    [Activity]
    public Task ReleaseAsync(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        LogStep(logger, "released", order.OrderId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: {Step}")]
    private static partial void LogStep(ILogger logger, string step, string orderId);
}
