using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// A workflow task whose commit storage refuses for good (not a conflict, not a transient fault). The refusal is real:
/// an inbox row keyed with U+2028, as the API accepted before it refused such request IDs, which Azurite takes on insert
/// and then fails in every entity-group transaction that deletes it — the commit that consumes it.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class RefusedCommitTests(AzuriteFixture azurite)
{
    private const int MaxDeliveries = 3;

    [Fact]
    public async Task HandleAsync_CommitRefusedByStorage_ShowsTheTaskFailureAndDeadLettersAfterTheDeliveryLimit()
    {
        var backend = await TestBackends.CreateAsync(azurite);
        await using var services = TestBackends.Engine(backend, flow => flow
            .AddWorkflow<WaitsForSignal>()
            // The test is the only driver of the workflow's tasks: an eager start would run the first one beside it.
            .ConfigureWorker(o => o with { MaxDeliveries = MaxDeliveries, EagerStart = false }));
        var client = services.GetRequiredService<IWorkflowClient>();
        var handler = services.GetRequiredService<ITaskHandler>();
        var workflowId = "refused-" + Guid.NewGuid().ToString("N");
        var handle = await client.StartWorkflowAsync(nameof(WaitsForSignal), null, new StartWorkflowOptions { Id = workflowId });
        var wake = new WorkflowTaskMessage { WorkflowId = workflowId, RunId = handle.RunId };
        Assert.IsType<TaskOutcome.CompletedOutcome>(await handler.HandleAsync(Received(wake), CancellationToken.None));
        await backend.Store.AddInboxAsync(workflowId, new InboxItem
        {
            Key = "s-legacy\u2028request", RunId = handle.RunId, CreatedAt = DateTimeOffset.UtcNow,
            Event = new WorkflowSignaled { SignalName = "go", RequestId = "legacy\u2028request" },
        }, CancellationToken.None);

        var first = await handler.HandleAsync(Received(wake), CancellationToken.None);

        var retry = Assert.IsType<TaskOutcome.RetryOutcome>(first);
        Assert.Equal(1, retry.Replacement?.Failures);
        Assert.Null((await client.DescribeWorkflowAsync(workflowId)).LastTaskFailure); // A one-off is not shown yet.
        var second = await handler.HandleAsync(Received(retry.Replacement!), CancellationToken.None);
        Assert.Equal(2, Assert.IsType<TaskOutcome.RetryOutcome>(second).Replacement?.Failures);
        var described = await client.DescribeWorkflowAsync(workflowId);
        Assert.Equal(WorkflowStatus.Running, described.Status);
        var failure = described.LastTaskFailure ?? "";
        Assert.True(failure.StartsWith("Storage refused the workflow task's commit: Committing workflow", StringComparison.Ordinal), failure);

        var last = await handler.HandleAsync(Received(wake with { Failures = MaxDeliveries - 1 }), CancellationToken.None);

        var dead = Assert.IsType<TaskOutcome.DeadLetterOutcome>(last);
        Assert.Contains($"Committing workflow '{workflowId}' failed", dead.Reason, StringComparison.Ordinal);
    }

    private static ReceivedMessage Received(TaskMessage message) => new("wf-default", Guid.NewGuid().ToString("N"), "pop", message.ToJson(), 1);
}

/// <summary>Waits for its "go" signal.</summary>
[Workflow]
public sealed class WaitsForSignal
{
    private bool go;

    [WorkflowRun]
    public Task RunAsync() => Workflow.WaitConditionAsync(() => go);

    [WorkflowSignal("go")]
    public Task GoAsync()
    {
        go = true;
        return Task.CompletedTask;
    }
}
