using System.Collections.Concurrent;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A fan-out's activities beyond the scheduling worker's free slots go to their queue a batch per message: claimed together,
/// covered by one timeout check, reported together. Nothing of a batch may be lost or recorded twice, whatever happens to its worker.
/// </summary>
public abstract class ActivityBatchTests : EngineSuite
{
    private static void Register(ServerlessFlowBuilder b) =>
        b.AddWorkflow<FansOutBatches>().AddActivities<BatchActivities>().ConfigureWorker(o => o with { MaxConcurrentActivities = 2 });

    [Fact]
    public async Task Batch_SomeAttemptsFailOnce_EachRetriedAloneAndRecordedOnce()
    {
        await using var engine = new EngineHarness(Register, NewBackend());
        var handle = await engine.Client.StartWorkflowAsync(nameof(FansOutBatches), new BatchInput(60, FailFirstEvery: 7, HangFirst: false, StartToCloseMs: 60_000), new StartWorkflowOptions());

        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromMinutes(2));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        var results = closed.GetResult<string[]>()!;
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"{i} ok on attempt {(i % 7 == 0 ? 2 : 1)}"), results);
        var expectedAttempts = Enumerable.Range(0, 60).SelectMany(i => i % 7 == 0 ? [$"{i}/1", $"{i}/2"] : new[] { $"{i}/1" });
        Assert.Equal(expectedAttempts.Order(StringComparer.Ordinal), BatchActivities.Journal[handle.Id].Order(StringComparer.Ordinal));
        await AssertEachRecordedOnceAsync(engine, handle, 60);
    }

    [Fact]
    public async Task Batch_ItsWorkerStopsWhileAttemptsAreClaimed_AnotherWorkerTakesEachOverOnce()
    {
        var backend = NewBackend();
        WorkflowHandle handle;
        await using (var first = new EngineHarness(Register, backend))
        {
            handle = await first.Client.StartWorkflowAsync(nameof(FansOutBatches), new BatchInput(8, FailFirstEvery: 0, HangFirst: true, StartToCloseMs: 1_000), new StartWorkflowOptions());

            // Two attempts run eagerly; the other six went to the queue as one batch, which this worker claims once a slot frees.
            await Eventually.WaitAsync(
                () => backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None),
                rows => rows.Count(row => row.State == ActivityState.Started && row.Attempt == 1) >= 6);
        }

        await using var second = new EngineHarness(Register, backend);
        var closed = await second.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromMinutes(1));

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.All(closed.GetResult<string[]>()!, result => Assert.Matches(@"^\d ok on attempt [2-9]$", result));
        await AssertEachRecordedOnceAsync(second, handle, 8);
    }

    [Fact]
    public async Task Batch_WorkerStopsWithClaimedAttemptsNotYetRun_TheyAreHandedBackAtOnceNotAtTheirDeadline()
    {
        var backend = NewBackend();
        WorkflowHandle handle;
        // A start-to-close timeout far beyond the test: an attempt left "started" would wait it out.
        var input = new BatchInput(8, FailFirstEvery: 0, HangFirst: true, StartToCloseMs: 600_000, HangOnly: [2, 3]);
        await using (var first = new EngineHarness(Register, backend))
        {
            handle = await first.Client.StartWorkflowAsync(nameof(FansOutBatches), input, new StartWorkflowOptions());

            // 0 and 1 run eagerly and complete; 2–7 are one batch, claimed at once and run two at a time: 2 and 3 hang, 4–7 wait.
            await Eventually.WaitAsync(
                async () => (Rows: await backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None), Journal: BatchActivities.JournalOf(handle.Id)),
                seen => seen.Rows.Count(row => row.State == ActivityState.Started) == 6 && seen.Journal.Contains("2/1") && seen.Journal.Contains("3/1"));
        }

        // Stopped: the two attempts it abandoned keep their lease; the four it claimed and never ran are scheduled again.
        var rows = await backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None);
        Assert.Equal(2, rows.Count(row => row.State == ActivityState.Started));
        Assert.Equal(4, rows.Count(row => row.State == ActivityState.Scheduled && row.Attempt == 1 && row.StartedAt is null));

        // Another worker runs their first attempts now, not after the ten minutes of the lease they never used.
        await using var second = new EngineHarness(Register, backend);
        await Eventually.WaitAsync(() => Task.FromResult(BatchActivities.JournalOf(handle.Id)), journal => new[] { "4/1", "5/1", "6/1", "7/1" }.All(journal.Contains));
        Assert.DoesNotContain("4/2", BatchActivities.JournalOf(handle.Id));
    }

    [Fact]
    public async Task Batch_WorkerStopsAfterAClaimedRowChanged_TheOtherRowsAreHandedBackAndTheChangedOneLeftAsItIs()
    {
        var backend = NewBackend();
        WorkflowHandle handle;
        ActivityTaskRecord changed;
        var input = new BatchInput(8, FailFirstEvery: 0, HangFirst: true, StartToCloseMs: 600_000, HangOnly: [2, 3]);
        await using (var first = new EngineHarness(Register, backend))
        {
            handle = await first.Client.StartWorkflowAsync(nameof(FansOutBatches), input, new StartWorkflowOptions());

            // 0 and 1 run eagerly and complete; 2–7 are one batch, claimed at once and run two at a time: 2 and 3 hang, 4–7 wait.
            var seen = await Eventually.WaitAsync(
                async () => (Rows: await backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None), Journal: BatchActivities.JournalOf(handle.Id)),
                seen => seen.Rows.Count(row => row.State == ActivityState.Started) == 6 && seen.Journal.Contains("2/1") && seen.Journal.Contains("3/1"));

            // 5 changes while it waits, as when a check expires it: scheduled for its next attempt (far off: nothing runs it here).
            var waiting = seen.Rows.Where(row => row.State == ActivityState.Started).OrderBy(row => row.ScheduledEventId).ElementAt(3);
            changed = (await backend.Store.UpdateActivityAsync(
                waiting with { State = ActivityState.Scheduled, Attempt = 2, StartedAt = null, NextAttemptAt = DateTimeOffset.UtcNow.AddHours(1) }, CancellationToken.None))!;
        }

        // Stopped: 4, 6 and 7 are scheduled again although 5 made the write of the four fail; 5 keeps what was written meanwhile.
        var rows = await backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None);
        Assert.Equal(2, rows.Count(row => row.State == ActivityState.Started));
        Assert.Equal(3, rows.Count(row => row.State == ActivityState.Scheduled && row.Attempt == 1 && row.StartedAt is null));
        var five = rows.Single(row => row.ScheduledEventId == changed.ScheduledEventId);
        Assert.Equal((ActivityState.Scheduled, 2, changed.ETag), (five.State, five.Attempt, five.ETag));
    }

    [Fact]
    public async Task Batch_ASlotFreesWhileItsClaimedRowsWait_AnotherLaneRunsThem()
    {
        var backend = NewBackend();
        // 0 and 1 run eagerly, 1 holding its slot until the gate opens; 2–7 are one batch, claimed when 0 frees its slot, so it
        // starts with one lane, which 2 holds up for the whole (long) timeout.
        var input = new BatchInput(8, FailFirstEvery: 0, HangFirst: true, StartToCloseMs: 600_000, HangOnly: [2], GatedOn: [1]);
        await using var engine = new EngineHarness(Register, backend);
        var handle = await engine.Client.StartWorkflowAsync(nameof(FansOutBatches), input, new StartWorkflowOptions());
        await Eventually.WaitAsync(
            async () => (Rows: await backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None), Journal: BatchActivities.JournalOf(handle.Id)),
            seen => seen.Rows.Count(row => row.State == ActivityState.Started) == 7 && seen.Journal.Contains("2/1"));
        Assert.DoesNotContain("3/1", BatchActivities.JournalOf(handle.Id));

        // The slot 1 gives back runs a second lane, which takes the rest of the batch rather than leaving it behind 2.
        BatchActivities.GateOf(handle.Id).SetResult();
        await Eventually.WaitAsync(() => Task.FromResult(BatchActivities.JournalOf(handle.Id)), journal => new[] { "3/1", "4/1", "5/1", "6/1", "7/1" }.All(journal.Contains));
        await Eventually.WaitAsync(
            () => backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None),
            rows => rows.Count(row => row.State == ActivityState.Started) == 1);
    }

    [Fact]
    public async Task Batch_AnAttemptBlocksItsThread_AnotherLaneRunsTheRestMeanwhile()
    {
        var backend = NewBackend();
        // 0 and 1 run eagerly and complete; 2–7 are one batch, and 2, its first row, blocks its thread (as a synchronous activity
        // does) until released. A lane must not run it on the thread that goes on to start the other lanes.
        var input = new BatchInput(8, FailFirstEvery: 0, HangFirst: false, StartToCloseMs: 600_000, BlockedOn: [2]);
        await using var engine = new EngineHarness(Register, backend);
        var handle = await engine.Client.StartWorkflowAsync(nameof(FansOutBatches), input, new StartWorkflowOptions());
        try
        {
            await Eventually.WaitAsync(() => Task.FromResult(BatchActivities.JournalOf(handle.Id)), journal => new[] { "2/1", "3/1", "4/1", "5/1", "6/1", "7/1" }.All(journal.Contains));
        }
        finally
        {
            BatchActivities.BlockOf(handle.Id).Set();
        }

        var closed = await engine.Client.WaitForCloseAsync(handle.Id, TimeSpan.FromMinutes(1));
        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        await AssertEachRecordedOnceAsync(engine, handle, 8);
    }

    private static async Task AssertEachRecordedOnceAsync(EngineHarness engine, WorkflowHandle handle, int count)
    {
        var history = await engine.Client.GetHistoryAsync(handle.Id);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.EventId));
        var scheduled = history.OfType<ActivityScheduled>().Select(s => s.EventId).ToList();
        Assert.Equal(count, scheduled.Count);
        Assert.Equal(scheduled, history.OfType<ActivityCompleted>().Select(c => c.ScheduledEventId).Order());
        Assert.Empty(await engine.Backend.Store.ReadActivitiesAsync(handle.Id, handle.RunId, CancellationToken.None));
    }
}

public sealed class ActivityBatchTestsInMemory : ActivityBatchTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class ActivityBatchTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : ActivityBatchTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}

/// <summary>
/// How many activities, which of them fail their first attempt (every n-th; 0 for none), whether first attempts hang (only those of
/// the indexes in HangOnly, when set), their start-to-close timeout, which first attempts wait for their workflow's gate, and which
/// first attempts block their thread until their workflow's block is released, and the retry policy's initial interval.
/// </summary>
public sealed record BatchInput(
    int Count, int FailFirstEvery, bool HangFirst, int StartToCloseMs, IReadOnlyList<int>? HangOnly = null, IReadOnlyList<int>? GatedOn = null, IReadOnlyList<int>? BlockedOn = null,
    int RetryIntervalMs = 10);

/// <summary>Schedules all its activities in one task, with the input's start-to-close timeout and retry interval (quick by default).</summary>
[Workflow]
public sealed class FansOutBatches
{
    [WorkflowRun]
    public async Task<string[]> RunAsync(BatchInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMilliseconds(input.StartToCloseMs), RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(input.RetryIntervalMs) } };
        return await Task.WhenAll(Enumerable.Range(0, input.Count).Select(i => Workflow.ExecuteActivityAsync((BatchActivities a) => a.RunAsync(i, input), options)));
    }
}

public sealed class BatchActivities
{
    /// <summary>Attempts started, by workflow: "index/attempt".</summary>
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Journal = new();

    /// <summary>The attempts of <paramref name="workflowId"/>'s activities started so far.</summary>
    public static string[] JournalOf(string workflowId) => Journal.TryGetValue(workflowId, out var journal) ? [.. journal] : [];

    /// <summary>What the first attempts of the input's GatedOn wait for, by workflow.</summary>
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static TaskCompletionSource GateOf(string workflowId) => Gates.GetOrAdd(workflowId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>What the first attempts of the input's BlockedOn block their thread on, by workflow.</summary>
    public static readonly ConcurrentDictionary<string, ManualResetEventSlim> Blocks = new();

    public static ManualResetEventSlim BlockOf(string workflowId) => Blocks.GetOrAdd(workflowId, _ => new(initialState: false));

    /// <summary>Fails or hangs its first attempt as <paramref name="input"/> says; returns "{index} ok on attempt {n}".</summary>
    [Activity]
    public async Task<string> RunAsync(int index, BatchInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        Journal.GetOrAdd(context.Info.WorkflowId, _ => new()).Enqueue($"{index}/{context.Info.Attempt}");
        if (context.Info.Attempt == 1 && input.BlockedOn?.Contains(index) == true)
        {
            // Before any await: the attempt holds the thread that called it, as a synchronous activity does.
            BlockOf(context.Info.WorkflowId).Wait(context.CancellationToken);
        }

        if (context.Info.Attempt == 1 && input.GatedOn?.Contains(index) == true)
        {
            await GateOf(context.Info.WorkflowId).Task.WaitAsync(context.CancellationToken);
        }

        if (context.Info.Attempt == 1 && input.HangFirst && (input.HangOnly is null || input.HangOnly.Contains(index)))
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        if (context.Info.Attempt == 1 && input.FailFirstEvery > 0 && index % input.FailFirstEvery == 0)
        {
            throw new InvalidOperationException($"first attempt of {index} fails");
        }

        return $"{index} ok on attempt {context.Info.Attempt}";
    }
}
