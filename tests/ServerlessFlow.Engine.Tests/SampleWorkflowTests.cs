using System.Text.Json;
using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

public abstract class SampleWorkflowTests : EngineSuite
{
    [Fact]
    public async Task HelloSequence_FiveSteps_ReturnsIndexesInOrderWithOneEventPerStep()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());

        var closed = await engine.RunAsync("HelloSequence", new HelloInput(5, 1));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal([0, 1, 2, 3, 4], closed.GetResult<int[]>()!);
        var history = await engine.Client.GetHistoryAsync(closed.Id);
        Assert.Equal(5, history.OfType<ActivityScheduled>().Count());
        Assert.Equal(5, history.OfType<ActivityCompleted>().Count());
        Assert.Equal(history.Select((_, i) => (long)i + 1), history.Select(e => e.EventId));
        Assert.IsType<WorkflowCompleted>(history[^1]);
    }

    [Fact]
    public async Task OrderWorkflow_NoFailure_RunsEveryStep()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());

        var result = (await engine.RunAsync("OrderWorkflow", new Order("o-1", 10m, "sku-1"))).GetResult<OrderResult>()!;

        Assert.Equal("Completed", result.Status);
        Assert.Equal(["charged 10", "reserved sku-1", "shipped sku-1", "confirmed o-1"], result.Steps);
    }

    [Theory]
    [InlineData("payment", new string[0])]
    [InlineData("inventory", new[] { "charged 10", "refunded 10" })]
    [InlineData("shipping", new[] { "charged 10", "reserved sku-1", "released sku-1", "refunded 10" })]
    [InlineData("confirmation", new[] { "charged 10", "reserved sku-1", "shipped sku-1", "cancelled shipment of sku-1", "released sku-1", "refunded 10" })]
    public async Task OrderWorkflow_StepFails_CompensatesDoneStepsInReverseOrderOnce(string failAt, string[] expected)
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());

        var closed = await engine.RunAsync("OrderWorkflow", new Order("o-1", 10m, "sku-1", failAt));
        var result = closed.GetResult<OrderResult>()!;

        Assert.Equal("Compensated", result.Status);
        Assert.Equal(expected, result.Steps);
        Assert.Contains(failAt, result.Error, StringComparison.Ordinal);
        var history = await engine.Client.GetHistoryAsync(closed.Id);
        var failed = Assert.Single(history.OfType<ActivityFailed>());
        Assert.Equal("InjectedFailure", failed.Failure.Type);
        Assert.Equal(1, failed.Attempt); // non-retryable: exactly one attempt
    }

    [Fact]
    public async Task GetHistory_AfterRun_SerializesAndReadsBackEqual()
    {
        await using var engine = new EngineHarness(b => b.AddSamples(), NewBackend());
        var closed = await engine.RunAsync("HelloSequence", new HelloInput(2, 1));

        var history = await engine.Client.GetHistoryAsync(closed.Id);
        var json = JsonSerializer.Serialize(history, PayloadJson.Options);
        var back = JsonSerializer.Deserialize<List<HistoryEvent>>(json, PayloadJson.Options)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, PayloadJson.Options));
    }
}

public sealed class SampleWorkflowTestsInMemory : SampleWorkflowTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class SampleWorkflowTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : SampleWorkflowTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
