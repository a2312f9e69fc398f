using Azure.Core;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A check that expires the attempt of a worker that died writes the next attempt's row, then sends its message. When that send
/// fails, the row says "scheduled" and no message exists: the check's next delivery must send it once the row has stayed scheduled a
/// message lease past its back-off (a live message would have claimed it by then), or the activity — and its workflow — waits forever. On Azurite, the send failed by a fault-injection pipeline policy (every SDK attempt of it).
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class LostRetrySendTests(AzuriteFixture azurite)
{
    private static void Register(ServerlessFlowBuilder b) =>
        b.AddWorkflow<FansOutBatches>().AddActivities<BatchActivities>();

    [Fact]
    public async Task Check_TheRetrySendFailsAfterTheRowWasWritten_ItsNextDeliverySendsItAndTheActivityRuns()
    {
        var faults = new FaultInjectionPolicy();
        var backend = TestBackend.Azure(azurite, faults);
        WorkflowHandle handle;
        await using (var first = new EngineHarness(Register, backend))
        {
            // One activity, run eagerly; its first attempt hangs until the worker stops, which abandons it (nothing written).
            handle = await first.Client.StartWorkflowAsync(nameof(FansOutBatches), new BatchInput(1, FailFirstEvery: 0, HangFirst: true, StartToCloseMs: 1_000), new StartWorkflowOptions());
            await Eventually.WaitAsync(
                () => backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None),
                rows => rows.Any(row => row.State == ActivityState.Started && row.Attempt == 1));
        }

        // The run's activity check comes due past the deadline; the retry it schedules is the first send to the activity queue.
        faults.FailNext(
            request => request.Method == RequestMethod.Post && request.Uri.Path.Contains("-" + QueueNames.Activity(QueueNames.DefaultTaskQueue) + "/messages", StringComparison.Ordinal),
            FaultTiming.BeforeSend,
            times: 4);
        // A short lease: the check sends the lost retry's message once the row has stayed scheduled that long past its back-off.
        await using var second = new EngineHarness(b => Register(b.ConfigureWorker(o => o with { MessageLease = TimeSpan.FromSeconds(5) })), backend);
        var closed = await second.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(90));

        Assert.Equal(4, faults.Injected);
        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(["0 ok on attempt 2"], closed.GetResult<string[]>()!);
    }
}
