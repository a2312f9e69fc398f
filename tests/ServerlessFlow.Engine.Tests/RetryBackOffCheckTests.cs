using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A check that comes due while a retry waits out its back-off finds the retry's row scheduled and its message in the queue: it
/// sends no second message for it (only a row still scheduled a lease past its back-off has lost its message, see
/// <see cref="LostRetrySendTests"/>).
/// </summary>
public abstract class RetryBackOffCheckTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) =>
        b.AddWorkflow<FansOutBatches>().AddActivities<BatchActivities>();

    [Fact]
    public async Task Check_DuringARetrysBackOff_SendsNoSecondMessageForTheRetry()
    {
        var backend = NewBackend();
        var holding = new HoldingQueues(backend.Queues);
        var queues = new RecordingQueues(holding);
        await using var engine = new EngineHarness(Register, backend with { Queues = queues });

        // One activity, run eagerly: its first attempt fails at once and its retry waits 5 s, while the run's check comes due
        // 1.2 s after the attempt started (start-to-close 1 s and the harness's slack).
        var handle = await engine.Client.StartWorkflowAsync(
            nameof(FansOutBatches), new BatchInput(1, FailFirstEvery: 1, HangFirst: false, StartToCloseMs: 1_000, RetryIntervalMs: 5_000), new StartWorkflowOptions());
        await Eventually.WaitAsync(() => Task.FromResult(holding.Settled), settled => settled.Any(m => m is ActivityCheckMessage check && check.WorkflowId == handle.Id));

        var retries = queues.Sent.Select(s => s.Message).OfType<ActivityTaskMessage>().Where(m => m.WorkflowId == handle.Id && m.Attempt == 2).ToList();
        Assert.Single(retries); // the one its scheduler sent
        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(["0 ok on attempt 2"], closed.GetResult<string[]>()!);
    }
}

public sealed class RetryBackOffCheckTestsInMemory : RetryBackOffCheckTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class RetryBackOffCheckTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : RetryBackOffCheckTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
