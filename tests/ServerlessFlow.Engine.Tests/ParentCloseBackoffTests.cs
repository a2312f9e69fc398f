using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A parent-close policy waits for a child caught between two runs of a continue-as-new. The next run normally starts within
/// moments; one that does not (its task keeps failing) must not have the policy message polling it twice a second for as long as
/// that lasts: the waits back off like every other retry of the engine, and the count survives a retry that travels as a copy.
/// </summary>
public sealed class ParentCloseBackoffTests
{
    [Fact]
    public async Task ParentClosed_ChildStaysBetweenTwoRuns_WaitsBackOff()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<CollectsSignals>(), TestBackend.InMemory());
        var store = engine.Backend.Store;
        var link = new ParentLink("parent-" + Guid.NewGuid().ToString("N"), "parent-run", 5, QueueNames.DefaultTaskQueue);
        var start = BackendTestData.StartCommit("child-" + Guid.NewGuid().ToString("N"));
        var child = await store.CommitAsync(start with { Instance = start.Instance with { Parent = link } }, CancellationToken.None);
        var between = BackendTestData.Next(child!, []);
        Assert.NotNull(await store.CommitAsync(between with { Instance = between.Instance with { Status = WorkflowStatus.ContinuedAsNew } }, CancellationToken.None));
        TaskMessage message = new ParentClosedMessage
        {
            WorkflowId = child!.WorkflowId, ParentRunId = link.RunId, ScheduledEventId = link.ScheduledEventId, Policy = ParentClosePolicy.Terminate,
        };

        var waits = new List<TimeSpan>();
        for (var delivery = 0; delivery < 5; delivery++)
        {
            // Each retry is delivered as a fresh copy (as on Functions): its dequeue count starts again at 1.
            var outcome = await engine.Get<ITaskHandler>().HandleAsync(new ReceivedMessage(QueueNames.Workflow(QueueNames.DefaultTaskQueue), $"m{delivery}", "p", message.ToJson(), 1), CancellationToken.None);
            var retry = Assert.IsType<TaskOutcome.RetryOutcome>(outcome);
            waits.Add(retry.Delay);
            message = retry.Replacement ?? message;
        }

        Assert.Equal(TimeSpan.FromMilliseconds(500), waits[0]);
        Assert.All(waits.Zip(waits.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"waits {string.Join(", ", waits)} do not grow"));
        Assert.Equal(WorkflowStatus.ContinuedAsNew, (await store.ReadInstanceAsync(child.WorkflowId, CancellationToken.None))!.Status);
    }
}
