using System.Collections.Concurrent;
using Azure.Core;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// An activity that heartbeats and then completes while its heartbeat saves fail at storage keeps its result: the attempt's monitor
/// keeps the failed save's details for its next tick instead of ending with the failure, which the runner rethrew after the activity
/// had succeeded — the result was thrown away and the activity waited for its timeout and a second attempt. On both paths: eager (the
/// row written by the commit, read before the first heartbeat write) and queued (the row claimed from a message). On Azurite every
/// replace of the activity row fails in the request pipeline, and the activity finishes once the failed save's resolving read has
/// answered; in memory the store seam fails the update, finishing the activity first.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class HeartbeatSaveFailureTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InMemory_HeartbeatSaveFailsThenActivityCompletes_ResultKeptOnAttemptOne(bool eager)
    {
        var memory = TestBackend.InMemory();
        var hooked = new BeforeClosingStoreCommit(memory.Store);
        var id = NewId();

        var closed = await RunAsync(memory with { Store = hooked }, eager, id, () => hooked.ArmBeforeActivityUpdate(() =>
        {
            HeartbeatSaveActivities.Finish(id);
            throw new StoreException("Updating the activity row failed: storage did not answer (injected).", 0);
        }));

        Assert.Equal(1, hooked.Fired);
        await AssertCompletedOnFirstAttemptAsync(closed, memory);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OnAzurite_HeartbeatSavesFailThenActivityCompletes_ResultKeptOnAttemptOne(bool eager)
    {
        var faults = new FaultInjectionPolicy();
        var afterFailedSave = new RequestHook();
        var backend = TestBackend.Azure(azurite, faults, afterFailedSave);
        var id = NewId();

        var closed = await RunAsync(backend, eager, id, () =>
        {
            faults.FailNext(request => request.Method == RequestMethod.Put && IsActivityRow(request, id), FaultTiming.BeforeSend, times: int.MaxValue);
            // A replace that storage never answered is resolved by reading the row; it found the row unchanged, so the save failed.
            afterFailedSave.After(
                request => request.Method == RequestMethod.Get && IsActivityRow(request, id) && faults.Injected > 0,
                () =>
                {
                    HeartbeatSaveActivities.Finish(id);
                    return Task.CompletedTask;
                });
        });

        Assert.Equal(1, afterFailedSave.Fired);
        await AssertCompletedOnFirstAttemptAsync(closed, backend);
    }

    private static string NewId() => "heartbeat-save-" + Guid.NewGuid().ToString("N");

    private static bool IsActivityRow(Request request, string workflowId) =>
        Uri.UnescapeDataString(request.Uri.Path).Contains($"(PartitionKey='{workflowId}',RowKey='a|", StringComparison.Ordinal);

    /// <summary>Runs the activity until it has started, arms the fault, lets it heartbeat and waits for the workflow to close.</summary>
    private static async Task<WorkflowDescription> RunAsync(TestBackend backend, bool eager, string id, Action arm)
    {
        await using var engine = new EngineHarness(
            b => b.AddWorkflow<RunsOne>().AddActivities<HeartbeatSaveActivities>()
                .ConfigureWorker(o => eager ? o : o with { EagerStart = false, EagerExecutionBudget = TimeSpan.Zero }),
            backend);
        await engine.Client.StartWorkflowAsync(nameof(RunsOne), new OneActivity("HeartbeatsThenFinishes"), new StartWorkflowOptions { Id = id });
        await HeartbeatSaveActivities.StartedAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
        arm();
        HeartbeatSaveActivities.Heartbeat(id);
        return await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));
    }

    private static async Task AssertCompletedOnFirstAttemptAsync(WorkflowDescription closed, TestBackend backend)
    {
        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("done on attempt 1", closed.GetResult<string>());
        var history = await backend.Store.ReadHistoryAsync(closed.Id, closed.RunId, 0, CancellationToken.None);
        Assert.Equal(1, Assert.Single(history.OfType<ActivityCompleted>()).Attempt);
    }
}

/// <summary>
/// An activity that starts, heartbeats with details when its test says so, and finishes when its test says so: per workflow ID, so
/// tests running at once do not share a gate.
/// </summary>
public sealed class HeartbeatSaveActivities
{
    private static readonly ConcurrentDictionary<(string WorkflowId, string Step), TaskCompletionSource> Gates = new();

    /// <summary>Completes when the activity of <paramref name="workflowId"/> has started.</summary>
    public static Task StartedAsync(string workflowId) => Gate(workflowId, "started").Task;

    /// <summary>Lets the activity of <paramref name="workflowId"/> heartbeat.</summary>
    public static void Heartbeat(string workflowId) => Gate(workflowId, "heartbeat").TrySetResult();

    /// <summary>Lets the activity of <paramref name="workflowId"/> return.</summary>
    public static void Finish(string workflowId) => Gate(workflowId, "finish").TrySetResult();

    [Activity]
    public async Task<string> HeartbeatsThenFinishesAsync()
    {
        var context = ActivityExecutionContext.Current;
        var id = context.Info.WorkflowId;
        Gate(id, "started").TrySetResult();
        await Gate(id, "heartbeat").Task.WaitAsync(context.CancellationToken);
        context.Heartbeat(new { processed = 7 });
        await Gate(id, "finish").Task.WaitAsync(context.CancellationToken);
        return $"done on attempt {context.Info.Attempt}";
    }

    private static TaskCompletionSource Gate(string workflowId, string step) =>
        Gates.GetOrAdd((workflowId, step), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
