namespace ServerlessFlow.Samples;

/// <summary>The activities of <see cref="OrderWorkflow"/>. They stand in for a payment provider, a warehouse and a carrier.</summary>
public sealed class OrderActivities
{
    /// <summary>Charges the order's amount.</summary>
    [Activity]
    public Task<string> ChargePaymentAsync(Order order) => Step(order, "payment", $"charged {order?.Amount}");

    /// <summary>Refunds the charge.</summary>
    [Activity]
    public Task<string> RefundPaymentAsync(Order order) => Step(order, null, $"refunded {order?.Amount}");

    /// <summary>Reserves the item.</summary>
    [Activity]
    public Task<string> ReserveInventoryAsync(Order order) => Step(order, "inventory", $"reserved {order?.Sku}");

    /// <summary>Releases the reservation.</summary>
    [Activity]
    public Task<string> ReleaseInventoryAsync(Order order) => Step(order, null, $"released {order?.Sku}");

    /// <summary>Hands the item to the carrier.</summary>
    [Activity]
    public Task<string> ShipAsync(Order order) => Step(order, "shipping", $"shipped {order?.Sku}");

    /// <summary>Cancels the shipment.</summary>
    [Activity]
    public Task<string> CancelShipmentAsync(Order order) => Step(order, null, $"cancelled shipment of {order?.Sku}");

    /// <summary>Sends the confirmation.</summary>
    [Activity]
    public Task<string> ConfirmAsync(Order order) => Step(order, "confirmation", $"confirmed {order?.OrderId}");

    private static Task<string> Step(Order? order, string? step, string done)
    {
        ArgumentNullException.ThrowIfNull(order);
        return step is not null && string.Equals(order.FailAt, step, StringComparison.OrdinalIgnoreCase)
            ? throw new ApplicationFailureException($"The {step} step failed for order {order.OrderId} (injected).", "InjectedFailure", nonRetryable: true)
            : Task.FromResult(done);
    }
}
