using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessFlow.Samples;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.DurableTask.Tests;

/// <summary>A Durable Functions–style client program, DurableTaskClient calls only, on the Azure Storage backend (Azurite).</summary>
public sealed class AzuriteDurableTaskClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task DurableTaskClient_OnAzureStorage_StartsSignalsSuspendsResumesWaitsAndPurges()
    {
        await using var host = DurableClientHost.Azure(azurite.ConnectionString);
        var client = host.Client;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var id = await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(LoanApprovalWorkflow), new LoanApplication("alice", 1000m), new StartOrchestrationOptions("df-style"), timeout.Token);
        await client.WaitForInstanceStartAsync(id, timeout.Token);
        await client.SuspendInstanceAsync(id, "audit", timeout.Token);
        await client.RaiseEventAsync(id, "decide", new LoanDecision(true, "dana"), timeout.Token);
        var held = await client.GetInstanceAsync(id, timeout.Token);
        var listed = await client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Suspended] }).ToListAsync(timeout.Token);
        await client.ResumeInstanceAsync(id, "audit done", timeout.Token);
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        var purged = await client.PurgeInstanceAsync(id, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, held!.RuntimeStatus);
        Assert.Equal("df-style", Assert.Single(listed).InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("approved by dana", done.ReadOutputAs<string>());
        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync(id, timeout.Token));
    }
}
