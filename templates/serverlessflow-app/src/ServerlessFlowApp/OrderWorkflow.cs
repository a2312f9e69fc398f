using ServerlessFlow;

namespace ServerlessFlowApp;

/// <summary>An order to fulfil.</summary>
/// <param name="OrderId">The order's ID.</param>
/// <param name="Item">What was ordered.</param>
/// <param name="Quantity">How many.</param>
/// <param name="Amount">The price to charge.</param>
public sealed record Order(string OrderId, string Item, int Quantity, decimal Amount);

/// <summary>How an order ended.</summary>
/// <param name="OrderId">The order's ID.</param>
/// <param name="Status">"shipped", or "refunded" when shipping failed after the charge.</param>
/// <param name="TrackingNumber">The shipment's tracking number when shipped.</param>
public sealed record OrderResult(string OrderId, string Status, string? TrackingNumber);

/// <summary>
/// Reserves stock, charges the payment and ships; when shipping fails for good, it refunds and releases the stock.
/// Its code is deterministic: every side effect is an activity, so after a crash it replays to where it stopped.
/// </summary>
[Workflow]
public sealed class OrderWorkflow
{
    private string stage = "started";

    /// <summary>Runs the order.</summary>
    [WorkflowRun]
    public async Task<OrderResult> RunAsync(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var options = new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new RetryPolicy { MaximumAttempts = 3, NonRetryableErrorTypes = ["OutOfStock"] },
        };

        stage = "reserving";
        await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ReserveAsync(order), options);
        stage = "charging";
        await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ChargeAsync(order), options);
        try
        {
            stage = "shipping";
            var tracking = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ShipAsync(order), options);
            stage = "shipped";
            return new OrderResult(order.OrderId, "shipped", tracking);
        }
        catch (ActivityFailureException)
        {
            stage = "refunding";
            await Workflow.ExecuteActivityAsync((OrderActivities a) => a.RefundAsync(order), options);
            await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ReleaseAsync(order), options);
            stage = "refunded";
            return new OrderResult(order.OrderId, "refunded", null);
        }
    }

    /// <summary>Where the order is: reserving, charging, shipping, shipped, refunding or refunded.</summary>
    [WorkflowQuery("stage")]
    public string Stage() => stage;
}
