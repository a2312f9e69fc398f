using System.Collections.Concurrent;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A batch writes its outcomes in the background, one write at a time. A write that fails (storage) must leave no fault that nobody
/// observes, must not keep the batch's later outcomes from being written, and must bring the batch's message back rather than let
/// it end as done. On Azurite: every try of the write is failed by a fault-injection pipeline policy.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class BatchOutcomeFailureTests(AzuriteFixture azurite)
{
    private static void Register(ServerlessFlowBuilder b) =>
        b.AddWorkflow<FansOutBatches>().AddActivities<BatchActivities>().ConfigureWorker(o => o with { MaxConcurrentActivities = 2 });

    [Fact]
    public async Task Batch_AnOutcomeWriteFails_NoFaultIsLeftUnobservedTheLaterOutcomesAreWrittenAndTheLostOneRunsAgain()
    {
        var faults = new FaultInjectionPolicy();
        var backend = TestBackend.Azure(azurite, faults);
        // 0 and 1 run eagerly (their outcomes go with the workflow's commits); 2–4 are one batch. 2 completes at once, and the first
        // outcome write, its, fails: every try the SDK makes of the batched write and of the single close that follows it. 3 waits for
        // the gate until that write is under way, 4 blocks its lane (the batch goes on) until 3's outcome is in the workflow's history.
        var tries = 1 + new AzureStorageOptions().MaxRetries;
        faults.FailNext(
            request => FaultInjectionPolicy.IsTransaction(request) && RequestBody.Text(request).Contains("\"State\":\"Closed\"", StringComparison.Ordinal),
            FaultTiming.BeforeSend,
            times: 2 * tries);
        var input = new BatchInput(5, FailFirstEvery: 0, HangFirst: false, StartToCloseMs: 5_000, GatedOn: [3], BlockedOn: [4]);
        var unobserved = new ConcurrentQueue<AggregateException>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => unobserved.Enqueue(e.Exception);
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await using var engine = new EngineHarness(Register, backend);
            var handle = await engine.Client.StartWorkflowAsync(nameof(FansOutBatches), input, new StartWorkflowOptions());
            try
            {
                await Eventually.WaitAsync(() => Task.FromResult(faults.Injected), injected => injected > 0);
                BatchActivities.GateOf(handle.Id).SetResult();
                await Eventually.WaitAsync(
                    () => engine.Client.GetHistoryAsync(handle.Id),
                    history => history.OfType<ActivityCompleted>().Any(completed => completed.Result?.GetString()?.StartsWith("3 ok", StringComparison.Ordinal) == true));
            }
            finally
            {
                BatchActivities.BlockOf(handle.Id).Set();
            }

            // 2's first outcome is lost with its write: the attempt is taken over at its deadline and run again.
            var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromMinutes(1));
            Assert.Equal(WorkflowStatus.Completed, closed.Status);
            Assert.Equal("2 ok on attempt 2", closed.GetResult<string[]>()![2]);

            // The batch ended long ago: a faulted task of it that nobody observed is finalized now, and reported.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.DoesNotContain(unobserved, e => e.ToString().Contains(handle.RunId, StringComparison.Ordinal));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }
    }
}
