using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessFlow.Samples;

namespace ServerlessFlow.DurableTask.Tests;

/// <summary>Each member of DurableTaskClient against ServerlessFlow's in-memory backend.</summary>
public sealed class DurableTaskClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private DurableClientHost host = null!;

    private DurableTaskClient Client => host.Client;

    public Task InitializeAsync()
    {
        host = DurableClientHost.InMemory();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_WithIdAndInput_RunsTheWorkflowAndReturnsInputAndOutput()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(HelloSequence), new HelloInput(2, 0), new StartOrchestrationOptions("hello-1") { Tags = new Dictionary<string, string> { ["team"] = "orders" } });

        var done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, Timeout());

        Assert.Equal("hello-1", id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(nameof(HelloSequence), done.Name);
        Assert.Equal(new HelloInput(2, 0), done.ReadInputAs<HelloInput>());
        Assert.Equal([0, 1], done.ReadOutputAs<int[]>()!);
        Assert.Equal("orders", done.Tags["team"]);
        Assert.Null(done.FailureDetails);
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_NoInstanceId_GeneratesOne()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequence), new HelloInput(1, 0));

        var started = await Client.WaitForInstanceStartAsync(id, Timeout());

        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(id, started.InstanceId);
        Assert.True(started.IsRunning || started.IsCompleted);
        Assert.Null(started.SerializedInput);
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_StartAtInTheFuture_RunsFromThatTimeWithTheEventRaisedMeanwhile()
    {
        var startAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var id = await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(LoanApprovalWorkflow), new LoanApplication("carol", 500m), new StartOrchestrationOptions("later", startAt), Timeout());
        var scheduled = await Client.GetInstanceAsync(id);
        var described = await host.Workflows.DescribeWorkflowAsync(id);
        await Client.RaiseEventAsync(id, "decide", new LoanDecision(true, "early"));
        var started = await Client.WaitForInstanceStartAsync(id, Timeout());
        var startedBy = DateTimeOffset.UtcNow;
        var done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, Timeout());

        Assert.Equal(OrchestrationRuntimeStatus.Running, scheduled!.RuntimeStatus);
        Assert.True(described.FirstTaskDueAt >= startAt, $"due {described.FirstTaskDueAt:O}, asked for {startAt:O}");
        Assert.True(startedBy >= described.FirstTaskDueAt, "WaitForInstanceStartAsync returned before the start time");
        // Started by then; with the decision already waiting, the run may even have finished before the wait looked.
        Assert.True(started.IsRunning || started.IsCompleted, $"status {started.RuntimeStatus}");
        Assert.Equal("approved by early", done.ReadOutputAs<string>());
        var history = await host.Workflows.GetHistoryAsync(id);
        Assert.All(history.Skip(1), e => Assert.True(e.Timestamp >= described.FirstTaskDueAt, $"{e.Describe()} ran before the start time"));
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_StartAtInThePast_StartsNow()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(HelloSequence), new HelloInput(1, 0), new StartOrchestrationOptions("past", DateTimeOffset.UtcNow.AddHours(-1)));

        var done = await Client.WaitForInstanceCompletionAsync(id, Timeout());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Null((await host.Workflows.DescribeWorkflowAsync(id)).FirstTaskDueAt);
    }

    [Fact]
    public async Task TerminateInstanceAsync_BeforeItsStartTime_EndsItWithoutRunningItsCode()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(HelloSequence), new HelloInput(1, 0), new StartOrchestrationOptions("never", DateTimeOffset.UtcNow.AddDays(1)));

        await Client.TerminateInstanceAsync(id, "cancelled order");
        var started = await Client.WaitForInstanceStartAsync(id, Timeout()); // a terminated run has nothing left to wait for

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, started.RuntimeStatus);
        Assert.Equal(2, (await host.Workflows.GetHistoryAsync(id)).Count);
    }

    [Fact]
    public async Task RaiseEventAsync_ToAWaitingWorkflow_DeliversItAsASignal()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(LoanApprovalWorkflow), new LoanApplication("alice", 1000m), new StartOrchestrationOptions("loan-1"));

        await Client.RaiseEventAsync(id, "decide", new LoanDecision(true, "bob"));
        var done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, Timeout());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("approved by bob", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task SuspendInstanceAsync_ThenResumeInstanceAsync_ReportsSuspendedThenCompletesWithTheEventRaisedMeanwhile()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(LoanApprovalWorkflow), new LoanApplication("alice", 1000m), new StartOrchestrationOptions("loan-held"));
        await Client.WaitForInstanceStartAsync(id, Timeout());

        await Client.SuspendInstanceAsync(id, "incident");
        await Client.RaiseEventAsync(id, "decide", new LoanDecision(true, "carol"));
        var held = await Client.GetInstanceAsync(id);
        await Client.ResumeInstanceAsync(id, "fixed");
        var done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, Timeout());

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, held!.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("approved by carol", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task GetInstanceAsync_FailedWorkflow_ReportsFailedWithTheFailureAndItsCause()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(FailingWorkflow), "it broke", new StartOrchestrationOptions("fails"));
        await Client.WaitForInstanceCompletionAsync(id, Timeout());

        var failed = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed!.RuntimeStatus);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.FailureDetails!.ErrorType);
        Assert.Equal("it broke", failed.FailureDetails.ErrorMessage);
        Assert.Equal("the cause", failed.FailureDetails.InnerFailure?.ErrorMessage);
        Assert.Null(failed.SerializedOutput);
        Assert.Equal("it broke", failed.ReadInputAs<string>());
    }

    [Fact]
    public async Task GetInstanceAsync_UnknownId_ReturnsNull()
    {
        Assert.Null(await Client.GetInstanceAsync("nobody"));
        Assert.Null(await Client.GetInstancesAsync("nobody", getInputsAndOutputs: true));
    }

    [Fact]
    public async Task TerminateInstanceAsync_Running_ReportsTerminatedWithTheOutputAsReason()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(LoanApprovalWorkflow), new LoanApplication("alice", 1000m), new StartOrchestrationOptions("loan-stop"));

        await Client.TerminateInstanceAsync(id, "no longer needed");
        var done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, Timeout());

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("no longer needed", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task GetAllInstancesAsync_StatusPrefixAndTimeFilters_PageThroughTheMatchesOnly()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 5; i++)
        {
            await Client.WaitForInstanceCompletionAsync(
                await Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequence), new HelloInput(1, 0), new StartOrchestrationOptions($"batch-{i}")), Timeout());
        }

        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(LoanApprovalWorkflow), new LoanApplication("alice", 1m), new StartOrchestrationOptions("batch-open"));
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequence), new HelloInput(1, 0), new StartOrchestrationOptions("other-1"));

        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = "batch-", Statuses = [OrchestrationRuntimeStatus.Completed], CreatedFrom = before, PageSize = 2,
        };
        var pages = new List<Page<OrchestrationMetadata>>();
        await foreach (var page in Client.GetAllInstancesAsync(query).AsPages(pageSizeHint: 2))
        {
            pages.Add(page);
        }

        var ids = pages.SelectMany(p => p.Values).Select(m => m.InstanceId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["batch-0", "batch-1", "batch-2", "batch-3", "batch-4"], ids);
        Assert.True(pages.Count >= 3, $"5 matches in pages of 2 came in {pages.Count} page(s).");
        Assert.Empty(await Client.GetAllInstancesAsync(query with { CreatedFrom = DateTimeOffset.UtcNow.AddMinutes(1) }).ToListAsync());
    }

    [Fact]
    public async Task PurgeInstanceAsync_RunningThenClosed_PurgesOnlyOnceClosed()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(LoanApprovalWorkflow), new LoanApplication("alice", 1000m), new StartOrchestrationOptions("loan-purge"));

        var whileRunning = await Client.PurgeInstanceAsync(id);
        await Client.TerminateInstanceAsync(id, "done");
        await Client.WaitForInstanceCompletionAsync(id, Timeout());
        var whenClosed = await Client.PurgeInstanceAsync(id);

        Assert.Equal(0, whileRunning.PurgedInstanceCount);
        Assert.Equal(1, whenClosed.PurgedInstanceCount);
        Assert.Null(await Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task PurgeAllInstancesAsync_StatusFilter_PurgesOnlyThatStatus()
    {
        await Client.WaitForInstanceCompletionAsync(
            await Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequence), new HelloInput(1, 0), new StartOrchestrationOptions("keep-done")), Timeout());
        await Client.WaitForInstanceCompletionAsync(
            await Client.ScheduleNewOrchestrationInstanceAsync(nameof(FailingWorkflow), "x", new StartOrchestrationOptions("drop-failed")), Timeout());
        // A purge by status reads the list index, which follows a close by moments (it is written just after the close's commit).
        await ServerlessFlow.TestSupport.Polling.UntilAsync(TimeSpan.FromSeconds(30), "the failed run in the index", async () =>
        {
            var failed = await Client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed] }).ToListAsync();
            return (failed.Any(i => i.InstanceId == "drop-failed"), true);
        });

        var result = await Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(Statuses: [OrchestrationRuntimeStatus.Failed]));

        Assert.Equal(1, result.PurgedInstanceCount);
        Assert.True(result.IsComplete);
        Assert.Null(await Client.GetInstanceAsync("drop-failed"));
        Assert.NotNull(await Client.GetInstanceAsync("keep-done"));
    }

    [Fact]
    public async Task GetOrchestrationHistoryAsync_CompletedWorkflow_MapsToDurableTaskEvents()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequence), new HelloInput(1, 0), new StartOrchestrationOptions("hello-history"));
        await Client.WaitForInstanceCompletionAsync(id, Timeout());

        var history = await Client.GetOrchestrationHistoryAsync(id);

        var started = Assert.IsType<ExecutionStartedEvent>(history[0]);
        Assert.Equal(nameof(HelloSequence), started.Name);
        Assert.Contains(history, e => e is TaskScheduledEvent { Name: "Step" });
        Assert.Contains(history, e => e is TaskCompletedEvent);
        var completed = Assert.IsType<ExecutionCompletedEvent>(history[^1]);
        Assert.Equal("[0]", completed.Result);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.EventId));
    }

    [Fact]
    public async Task RestartAndRewind_NotSupported_ThrowNamingTheAlternative()
    {
        var restart = await Assert.ThrowsAsync<NotSupportedException>(() => Client.RestartAsync("any"));
        var rewind = await Assert.ThrowsAsync<NotSupportedException>(() => Client.RewindInstanceAsync("any", "why"));

        Assert.Contains("ScheduleNewOrchestrationInstanceAsync", restart.Message, StringComparison.Ordinal);
        Assert.Contains("start a new run", rewind.Message, StringComparison.Ordinal);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Deadline).Token;
}
