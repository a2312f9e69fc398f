using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Activities run by the worker whose workflow task scheduled them: no queue hop, one safety message per workflow.</summary>
public abstract class EagerExecutionTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) => b.AddWorkflow<FiveSteps>().AddWorkflow<FansOut>().AddActivities<ReliableActivities>();

    private static List<string> Journal(string workflowId) => ReliableActivities.Journal.TryGetValue(workflowId, out var entries) ? [.. entries] : [];

    [Fact]
    public async Task Sequence_FiveActivitiesOnAServedQueue_RunWithoutActivityMessagesAndOneCheck()
    {
        var (backend, queues) = Recording(NewBackend());
        await using var engine = new EngineHarness(Register, backend);

        var closed = await engine.RunAsync(nameof(FiveSteps), null);

        Assert.Equal(5, closed.GetResult<int>());
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{i} attempt 1"), Journal(closed.Id));
        var sent = queues.Sent.Where(s => s.Message.Subject == closed.Id).ToList();
        Assert.DoesNotContain(sent, s => s.Queue == QueueNames.Activity("default"));
        Assert.DoesNotContain(sent, s => s.Message.Kind == TaskKind.ActivityTimeout);
        // One check for the five activities (under load the recovery sweep may wake the run before its first commit clears
        // the start's outbox, which sends that same check again: messages are hints).
        Assert.Single(sent.Select(s => s.Message).OfType<ActivityCheckMessage>().Select(check => check.CheckAt).Distinct());
        var history = await engine.Client.GetHistoryAsync(closed.Id);
        Assert.Equal(5, history.OfType<ActivityCompleted>().Count(c => c.Attempt == 1));
    }

    [Fact]
    public async Task Start_OnAQueueThisProcessServes_RunsTheFirstTaskWithoutAWakeUpMessage()
    {
        var (backend, queues) = Recording(NewBackend());
        await using var engine = new EngineHarness(Register, backend);

        var closed = await engine.RunAsync(nameof(FiveSteps), null);

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        var sent = queues.Sent.Where(s => s.Message.Subject == closed.Id).ToList();
        Assert.DoesNotContain(sent, s => s.Message.Kind == TaskKind.Workflow);
        var checks = sent.Where(s => s.Message.Kind == TaskKind.ActivityCheck).ToList();
        Assert.Single(checks.Select(s => ((ActivityCheckMessage)s.Message).CheckAt).Distinct()); // one check (a sweep under load may send it again)
        Assert.All(checks, check => Assert.Equal(QueueNames.Workflow("default"), check.Queue));
    }

    [Fact]
    public async Task Start_WithEagerStartOff_SendsAWakeUpAndStillCompletes()
    {
        var (backend, queues) = Recording(NewBackend());
        await using var engine = new EngineHarness(b => Register(b.ConfigureWorker(o => o with { EagerStart = false })), backend);

        var closed = await engine.RunAsync(nameof(FiveSteps), null);

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        // The start's wake-up goes through the queue (the harness's fast recovery sweep may send a duplicate: messages are hints).
        Assert.Contains(queues.Sent, s => s.Message.Subject == closed.Id && s.Message.Kind == TaskKind.Workflow);
    }

    [Fact]
    public async Task EagerStart_StarterDiedAfterTheStartCommit_RecoverySweepWakesTheWorkflowWhichCompletes()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = "abandoned-" + Guid.NewGuid().ToString("N");
        // What an eager start commits; its starter "dies" right after: nobody runs the first task, and nothing was sent.
        var start = StartCommit.Eager(StartCommit.Build(id, Guid.NewGuid().ToString("N"), nameof(FiveSteps), "default", null, DateTimeOffset.UtcNow, null, null));
        var committed = await engine.Backend.Store.CommitAsync(start, CancellationToken.None);
        Assert.NotNull(committed);
        Assert.Empty(committed.Outbox);
        Assert.True(committed.OutboxPending); // what the recovery sweep finds

        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal(5, closed.GetResult<int>());
    }

    [Fact]
    public async Task ActivityCheck_CloserDiedBeforeTheIndexWrite_WritesTheClosedEntry()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var id = "unindexed-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        var checkAt = now + TimeSpan.FromMinutes(1);
        var start = StartCommit.Build(id, Guid.NewGuid().ToString("N"), nameof(FiveSteps), "default", null, now, null, null);
        var started = await engine.Backend.Store.CommitAsync(start with { Instance = start.Instance with { Outbox = [], ActivityCheckAt = checkAt } }, CancellationToken.None);
        Assert.NotNull(started);
        // A close that left its index write to the run's check (no outbox flag), committed by a process that died before the write.
        var close = InstanceTransition.Build(started, [new WorkflowCompleted { EventId = 2, Timestamp = now, Result = PayloadJson.ToElement(5) }], [], now);
        Assert.NotNull(await engine.Backend.Store.CommitAsync(close with { Instance = close.Instance with { OutboxPending = false } }, CancellationToken.None));
        Assert.Empty((await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = id })).Items);

        var check = new ActivityCheckMessage { WorkflowId = id, RunId = started.RunId, CheckAt = checkAt };
        await engine.Backend.Queues.SendAsync(QueueNames.Workflow("default"), check, TimeSpan.Zero, CancellationToken.None);

        var listed = await ServerlessFlow.TestSupport.Polling.UntilAsync(TimeSpan.FromSeconds(30), "the closed run's index entry", async () =>
        {
            var page = await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = id });
            return (page.Items.Count == 1, page.Items);
        });
        Assert.Equal(WorkflowStatus.Completed, Assert.Single(listed).Status);
    }

    [Fact]
    public async Task EagerStart_NoWorkflowTaskSlotFree_RunsTheFirstTaskOnlyOnceOneIs()
    {
        await using var engine = new EngineHarness(b => Register(b.ConfigureWorker(o => o with { MaxConcurrentWorkflowTasks = 1 })), NewBackend());
        var slots = engine.Get<WorkflowTaskSlots>();
        await slots.Semaphore.WaitAsync(); // the only slot, as a task of another workflow would hold it

        var handle = await engine.Client.StartWorkflowAsync(nameof(FiveSteps), null, new StartWorkflowOptions());

        await ServerlessFlow.TestSupport.Polling.UntilAsync(TimeSpan.FromSeconds(30), "the first task to wait for a slot", () => Task.FromResult((slots.StartsWaiting == 1, 0)));
        Assert.IsType<WorkflowStarted>(Assert.Single(await engine.Client.GetHistoryAsync(handle.Id)));
        slots.Semaphore.Release();
        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(5, closed.GetResult<int>());
    }

    [Fact]
    public async Task FanOut_MoreActivitiesThanFreeSlots_TheRestGoThroughTheirQueue()
    {
        var (backend, queues) = Recording(NewBackend());
        await using var engine = new EngineHarness(b => Register(b.ConfigureWorker(o => o with { MaxConcurrentActivities = 2 })), backend);

        var closed = await engine.RunAsync(nameof(FansOut), 6);

        Assert.Equal(6, closed.GetResult<int>());
        Assert.Equal(6, Journal(closed.Id).Count);
        var messages = queues.Sent.Where(s => s.Message.Subject == closed.Id && s.Queue == QueueNames.Activity("default")).Select(s => s.Message).Cast<ActivityTaskMessage>().ToList();
        var queued = messages.Sum(m => (m.ThroughScheduledEventId ?? m.ScheduledEventId) - m.ScheduledEventId + 1);
        Assert.InRange(queued, 4, 6); // at most the two free slots ran eagerly
        Assert.Single(messages); // the rest, consecutive, went as one batch
    }

    private static (TestBackend Backend, RecordingQueues Queues) Recording(TestBackend backend)
    {
        var queues = new RecordingQueues(backend.Queues);
        return (backend with { Queues = queues }, queues);
    }
}

public sealed class EagerExecutionTestsInMemory : EagerExecutionTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class EagerExecutionTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : EagerExecutionTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

[Workflow]
public sealed class FansOut
{
    [WorkflowRun]
    public async Task<int> RunAsync(int count)
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) };
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Workflow.ExecuteActivityAsync((ReliableActivities a) => a.Count(i), options)));
        return results.Length;
    }
}
