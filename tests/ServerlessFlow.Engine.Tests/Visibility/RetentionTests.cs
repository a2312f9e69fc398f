using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Retention;

namespace ServerlessFlow.Engine.Tests.Visibility;

/// <summary>Retention and purge on the in-memory backend and a fake clock: exactly the workflows closed before the cutoff go, history and index alike.</summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Retention_MixOfAgesAndStatuses_DeletesExactlyClosedBeforeCutoff()
    {
        var clock = new FakeTimeProvider(T0);
        await using var engine = new EngineHarness(b => Register(b, TimeSpan.FromDays(30)), TestBackend.InMemory(clock), clock);
        var expired = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            expired.Add((await engine.RunAsync(nameof(QuickWorkflow), i, $"old-{i}")).Id);
        }

        for (var i = 0; i < 3; i++)
        {
            await engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), new StartWorkflowOptions { Id = $"old-terminated-{i}" });
            await engine.Client.TerminateWorkflowAsync($"old-terminated-{i}", "test");
            expired.Add($"old-terminated-{i}");
        }

        // A continue-as-new chain: both runs go with the ID.
        await engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(ContinueAsNew: true), new StartWorkflowOptions { Id = "old-chain" });
        await AdvanceWhenWaitingAsync(engine, "old-chain", generation: 1);
        await AdvanceWhenWaitingAsync(engine, "old-chain", generation: 2);
        Assert.Equal(WorkflowStatus.Completed, (await engine.Client.WaitForCloseAsync("old-chain", TimeSpan.FromSeconds(30))).Status);
        expired.Add("old-chain");

        clock.Advance(TimeSpan.FromDays(2));
        var kept = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            kept.Add((await engine.RunAsync(nameof(QuickWorkflow), i, $"recent-{i}")).Id);
        }

        for (var i = 0; i < 3; i++)
        {
            kept.Add((await engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), new StartWorkflowOptions { Id = $"open-{i}" })).Id);
        }

        await Eventually.WaitAsync(() => engine.Client.ListWorkflowsAsync(new WorkflowListQuery { PageSize = 1000 }), p => p.Items.Count == expired.Count + kept.Count);
        clock.Advance(TimeSpan.FromDays(29) + TimeSpan.FromMinutes(1));

        // The clock stands still, so housekeeping starts no further batch by itself: run batches until done.
        var retention = engine.Get<RetentionProcessor>();
        var left = await Eventually.WaitAsync(async () =>
        {
            await retention.RunBatchAsync(CancellationToken.None);
            return await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { PageSize = 1000 });
        }, p => p.Items.Count == kept.Count);
        Assert.Equal(kept.Order(StringComparer.Ordinal), left.Items.Select(i => i.Id).Order(StringComparer.Ordinal));
        foreach (var id in expired)
        {
            await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.DescribeWorkflowAsync(id));
        }

        foreach (var id in kept)
        {
            Assert.NotEmpty(await engine.Client.GetHistoryAsync(id));
        }
    }

    [Fact]
    public async Task Retention_ManyExpired_DeletedInBatchesOfAtMost100AcrossMessages()
    {
        var clock = new FakeTimeProvider(T0);
        await using var engine = new EngineHarness(
            b => Register(b, TimeSpan.FromDays(30)).ConfigureWorker(o => o with { SweepInterval = TimeSpan.FromHours(1) }), TestBackend.InMemory(clock), clock);
        for (var i = 0; i < 250; i++)
        {
            await engine.Client.StartWorkflowAsync(nameof(QuickWorkflow), i, new StartWorkflowOptions { Id = $"w-{i:D3}" });
        }

        await Eventually.WaitAsync(() => engine.Client.ListWorkflowsAsync(new WorkflowListQuery { Status = WorkflowStatus.Completed, PageSize = 1000 }), p => p.Items.Count == 250);
        clock.Advance(TimeSpan.FromDays(31));

        // One batch does at most 100 and hands the rest to a Retention message, which the worker chains on.
        Assert.InRange(await engine.Get<RetentionProcessor>().RunBatchAsync(CancellationToken.None), 1, RetentionProcessor.BatchSize);
        await Eventually.WaitAsync(() => engine.Client.ListWorkflowsAsync(new WorkflowListQuery { PageSize = 1000 }), p => p.Items.Count == 0);
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.DescribeWorkflowAsync("w-249"));
    }

    [Fact]
    public async Task Retention_Disabled_DeletesNothing()
    {
        var clock = new FakeTimeProvider(T0);
        await using var engine = new EngineHarness(b => Register(b, retention: null), TestBackend.InMemory(clock), clock);
        await engine.RunAsync(nameof(QuickWorkflow), 1, "kept");
        clock.Advance(TimeSpan.FromDays(3650));

        Assert.Equal(0, await engine.Get<RetentionProcessor>().RunBatchAsync(CancellationToken.None));
        Assert.NotEmpty(await engine.Client.GetHistoryAsync("kept"));
    }

    [Fact]
    public async Task PurgeWorkflow_OpenThenClosed_RefusedThenDeletedAndIdFreeEvenWithRejectDuplicate()
    {
        await using var engine = new EngineHarness(b => Register(b, TimeSpan.FromDays(30)), TestBackend.InMemory());
        await engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), new StartWorkflowOptions { Id = "p" });
        var open = await Assert.ThrowsAsync<WorkflowOpenException>(() => engine.Client.PurgeWorkflowAsync("p"));
        Assert.Equal("p", open.WorkflowId);

        await engine.Client.TerminateWorkflowAsync("p", "done with it");
        Assert.True(await engine.Client.PurgeWorkflowAsync("p"));
        Assert.False(await engine.Client.PurgeWorkflowAsync("p"));
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.Client.DescribeWorkflowAsync("p"));
        Assert.Empty((await engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = "p" })).Items);

        var again = new StartWorkflowOptions { Id = "p", IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate };
        await engine.RunAsync(nameof(QuickWorkflow), 5, "p2");
        await engine.Client.StartWorkflowAsync(nameof(QuickWorkflow), 7, again);
        var listed = await Eventually.WaitAsync(() => engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = "p", Status = WorkflowStatus.Completed }), r => r.Items.Count == 2);
        Assert.Equal(["p", "p2"], listed.Items.Select(i => i.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PurgeWorkflows_ByFilter_PurgesOnlyClosedMatchesAtMostMax()
    {
        await using var engine = new EngineHarness(b => Register(b, TimeSpan.FromDays(30)), TestBackend.InMemory());
        for (var i = 0; i < 5; i++)
        {
            await engine.RunAsync(nameof(QuickWorkflow), i, $"batch-{i}");
        }

        await engine.Client.StartWorkflowAsync(nameof(SteppedWorkflow), new SteppedInput(), new StartWorkflowOptions { Id = "batch-open" });
        await engine.RunAsync(nameof(QuickWorkflow), 0, "other");
        await Eventually.WaitAsync(() => engine.Client.ListWorkflowsAsync(new WorkflowListQuery { IdPrefix = "batch-" }), p => p.Items.Count == 6);

        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => engine.Client.PurgeWorkflowsAsync(new WorkflowListQuery { Status = WorkflowStatus.Running }, 10));
        var first = await engine.Client.PurgeWorkflowsAsync(new WorkflowListQuery { IdPrefix = "batch-" }, 3);
        Assert.Equal(3, first.Purged + first.Skipped);
        Assert.NotNull(first.ContinuationToken);
        var rest = await engine.Client.PurgeWorkflowsAsync(new WorkflowListQuery { IdPrefix = "batch-", ContinuationToken = first.ContinuationToken }, 10);
        Assert.Equal((5, 1), (first.Purged + rest.Purged, first.Skipped + rest.Skipped));
        Assert.Equal(["batch-open", "other"], (await engine.Client.ListWorkflowsAsync(new WorkflowListQuery())).Items.Select(i => i.Id).Order(StringComparer.Ordinal));
    }

    private static ServerlessFlowBuilder Register(ServerlessFlowBuilder b, TimeSpan? retention)
    {
        VisibilityTests.Register(b);
        return b.ConfigureWorker(o => o with { Retention = retention });
    }

    private static Task AdvanceWhenWaitingAsync(EngineHarness engine, string id, int generation) =>
        Eventually.WaitAsync(async () =>
        {
            var described = await engine.Client.DescribeWorkflowAsync(id);
            if (described.SearchAttributes.TryGetValue("Attempts", out var attempts) && attempts.GetInt64() == generation)
            {
                await engine.Client.SignalWorkflowAsync(id, "advance", null);
                return true;
            }

            return false;
        }, signalled => signalled);
}
