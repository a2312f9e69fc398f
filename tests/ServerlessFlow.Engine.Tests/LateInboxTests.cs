using Azure.Core;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Messages the close's inbox fence does not see: a signal or cancel request whose inbox row lands only after the run closed (its
/// sender read the run as running) must be refused to its sender, not answered as accepted and discarded; and a close decided by a
/// task that took only part of a long inbox must not discard the rest.
/// </summary>
public abstract class LateInboxTests : EngineSuite
{
    internal override TestBackend NewBackend() => NewHookedBackend().Backend;

    /// <summary>A fresh backend and a way to run an action just before the insert of the inbox row with a given key reaches storage.</summary>
    internal abstract (TestBackend Backend, Action<string, Func<Task>> BeforeInboxInsert) NewHookedBackend();

    [Fact]
    public async Task Signal_InboxRowLandsAfterTheRunClosed_IsRefusedAndNotRecorded()
    {
        var (backend, beforeInsert) = NewHookedBackend();
        await using var engine = new EngineHarness(b => b.AddWorkflow<CollectsSignals>(), backend);
        var handle = await engine.Client.StartWorkflowAsync(nameof(CollectsSignals), null, new StartWorkflowOptions());
        var id = handle.Id;
        await engine.Client.SignalWorkflowAsync(id, "add", "early", "early");
        // The sender has read the run as running; its row (keyed by run and request ID) reaches storage only once the run has closed.
        beforeInsert($"s-{handle.RunId}-late", async () =>
        {
            await engine.Client.SignalWorkflowAsync(id, "finish", null, "finish");
            await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(30));
        });

        var refused = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.SignalWorkflowAsync(id, "add", "late", "late"));

        Assert.Contains("closed before the signal reached it", refused.Message, StringComparison.Ordinal);
        var closed = await engine.Client.DescribeWorkflowAsync(id);
        Assert.Equal((WorkflowStatus.Completed, "early"), (closed.Status, closed.Result?.GetString()));
        Assert.DoesNotContain((await engine.Client.GetHistoryAsync(id)).OfType<WorkflowSignaled>(), s => s.RequestId == "late");
    }

    [Fact]
    public async Task Cancel_InboxRowLandsAfterTheRunClosed_AnswersClosed()
    {
        var (backend, beforeInsert) = NewHookedBackend();
        await using var engine = new EngineHarness(b => b.AddWorkflow<CollectsSignals>(), backend);
        var handle = await engine.Client.StartWorkflowAsync(nameof(CollectsSignals), null, new StartWorkflowOptions());
        beforeInsert("c-" + handle.RunId, async () =>
        {
            await engine.Client.SignalWorkflowAsync(handle.Id, "finish", null, "finish");
            await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));
        });

        var canceled = await engine.Client.CancelWorkflowAsync(handle.Id);

        Assert.False(canceled);
        Assert.Equal(WorkflowStatus.Completed, (await engine.Client.DescribeWorkflowAsync(handle.Id)).Status);
        Assert.DoesNotContain(await engine.Client.GetHistoryAsync(handle.Id), e => e is WorkflowCancelRequested);
    }

    [Fact]
    public async Task Close_DecidedWhileMoreInboxItemsWaitThanOneTaskTakes_HandsTheCodeEveryOne()
    {
        const int signals = 60;
        var (backend, _) = NewHookedBackend();
        await using var engine = new EngineHarness(b => b.AddWorkflow<EndsAtFirstSignals>(), backend);
        var id = (await engine.Client.StartWorkflowAsync(nameof(EndsAtFirstSignals), null, new StartWorkflowOptions())).Id;
        // Held while the signals arrive, so that one task finds them all in the inbox when it is resumed.
        await engine.Client.SuspendWorkflowAsync(id, "collecting");
        for (var i = 0; i < signals; i++)
        {
            await engine.Client.SignalWorkflowAsync(id, "add", null, $"r{i:D2}");
        }

        await engine.Client.ResumeWorkflowAsync(id);
        var closed = await engine.Client.WaitForCloseAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal((WorkflowStatus.Completed, signals), (closed.Status, closed.GetResult<int>()));
        var history = await engine.Client.GetHistoryAsync(id);
        Assert.Equal(Enumerable.Range(0, signals).Select(i => $"r{i:D2}"), history.OfType<WorkflowSignaled>().Select(s => s.RequestId).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.EventId));
        await Polling.UntilAsync(TimeSpan.FromSeconds(30), "the closed run's inbox to be emptied", async () =>
            ((await backend.Store.LoadAsync(id, null, 0, CancellationToken.None))?.Inbox.Count == 0, 0));
    }
}

/// <summary>Counts "add" signals and completes as soon as it has one, returning how many it had by then.</summary>
[Workflow]
public sealed class EndsAtFirstSignals
{
    private int received;

    /// <summary>Runs it.</summary>
    [WorkflowRun]
    public async Task<int> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => received > 0);
        return received;
    }

    /// <summary>Counts one.</summary>
    [WorkflowSignal("add")]
    public Task AddAsync()
    {
        received++;
        return Task.CompletedTask;
    }
}

public sealed class LateInboxTestsInMemory : LateInboxTests
{
    internal override (TestBackend Backend, Action<string, Func<Task>> BeforeInboxInsert) NewHookedBackend()
    {
        var memory = TestBackend.InMemory();
        var hooked = new BeforeClosingStoreCommit(memory.Store);
        return (memory with { Store = hooked }, (key, action) => hooked.ArmBeforeInbox(k => k == key, action));
    }
}

[Collection(AzuriteSuite.Name)]
public sealed class LateInboxTestsOnAzurite(AzuriteFixture azurite) : LateInboxTests
{
    internal override (TestBackend Backend, Action<string, Func<Task>> BeforeInboxInsert) NewHookedBackend()
    {
        var hook = new RequestHook();
        return (TestBackend.Azure(azurite, hook), (key, action) => hook.Before(request => IsInboxInsert(request, key), action));
    }

    /// <summary>The entity-group transaction that inserts the inbox row with <paramref name="key"/>.</summary>
    private static bool IsInboxInsert(Request request, string key)
    {
        if (request.Method != RequestMethod.Post || !request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
        {
            return false;
        }

        return RequestBody.Text(request).Contains($"\"RowKey\":\"m|{key}\"", StringComparison.Ordinal);
    }
}
