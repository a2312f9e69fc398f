namespace ServerlessFlow.Samples;

/// <summary>An order to process. <paramref name="FailAt"/> injects a failure at one step ("payment", "inventory", "shipping", "confirmation") to show compensation.</summary>
/// <param name="OrderId">The order's ID.</param>
/// <param name="Amount">The amount to charge.</param>
/// <param name="Sku">The item to reserve and ship.</param>
/// <param name="FailAt">The step that should fail, if any.</param>
public sealed record Order(string OrderId, decimal Amount, string Sku, string? FailAt = null);

/// <summary>What happened to an order.</summary>
/// <param name="Status">"Completed", or "Compensated" when a step failed and earlier steps were undone.</param>
/// <param name="Steps">Every step and compensation that ran, in order.</param>
/// <param name="Error">The failure that triggered compensation, if any.</param>
public sealed record OrderResult(string Status, IReadOnlyList<string> Steps, string? Error);

/// <summary>
/// The canonical saga: charge payment → reserve inventory → ship → confirm. If a step fails, the steps
/// already done are undone in reverse order (refund, release, cancel shipment), each exactly once.
/// </summary>
[Workflow]
public sealed class OrderWorkflow
{
    private static readonly ActivityOptions Options = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(200), MaximumAttempts = 3 },
    };

    /// <summary>Processes the order.</summary>
    [WorkflowRun]
    public async Task<OrderResult> RunAsync(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var steps = new List<string>();
        var compensations = new Stack<(string Name, Func<Task<string>> Undo)>();
        try
        {
            steps.Add(await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ChargePaymentAsync(order), Options));
            compensations.Push(("refund", () => Workflow.ExecuteActivityAsync((OrderActivities a) => a.RefundPaymentAsync(order), Options)));

            steps.Add(await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ReserveInventoryAsync(order), Options));
            compensations.Push(("release", () => Workflow.ExecuteActivityAsync((OrderActivities a) => a.ReleaseInventoryAsync(order), Options)));

            steps.Add(await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ShipAsync(order), Options));
            compensations.Push(("cancel-shipment", () => Workflow.ExecuteActivityAsync((OrderActivities a) => a.CancelShipmentAsync(order), Options)));

            steps.Add(await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ConfirmAsync(order), Options));
            return new OrderResult("Completed", steps, null);
        }
        catch (ActivityFailureException failure)
        {
            while (compensations.TryPop(out var compensation))
            {
                steps.Add(await compensation.Undo());
            }

            return new OrderResult("Compensated", steps, failure.InnerException?.Message ?? failure.Message);
        }
    }
}
