using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>Calls that reach storage before any worker created its tables: a start creates them itself, a listing finds nothing.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class BeforeTablesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task List_IndexTableNotCreatedYet_ReturnsAnEmptyPage()
    {
        var backend = AzureStorageBackend.Create(TestBackends.Options(azurite)); // no tables created

        var page = await backend.Visibility.QueryAsync(new WorkflowListQuery(), CancellationToken.None);

        Assert.Empty(page.Items);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task Start_TablesNotCreatedYet_CreatesThemAndInsertsWithoutReadingTheId()
    {
        var id = "before-tables-" + Guid.NewGuid().ToString("N");
        // Every read of this ID fails: a table that did not exist holds no row of it, so the start has no reason to read one.
        var reads = new FaultInjectionPolicy();
        reads.FailNext(
            request => request.Method == RequestMethod.Get && request.Uri.ToString().Contains(id, StringComparison.Ordinal), FaultTiming.BeforeSend, times: int.MaxValue);
        var backend = AzureStorageBackend.Create(TestBackends.Options(azurite, reads)); // no tables created
        await using var services = TestBackends.Engine(backend, flow => flow.AddWorkflow<ThreeQuickSteps>().AddActivities<QuickActivities>());
        var client = services.GetRequiredService<IWorkflowClient>();

        var handle = await client.StartWorkflowAsync(nameof(ThreeQuickSteps), null, new StartWorkflowOptions { Id = id });

        Assert.Equal(0, reads.Injected);
        reads.Clear();
        var instance = await backend.Store.ReadInstanceAsync(id, CancellationToken.None);
        Assert.Equal(handle.RunId, instance?.RunId);
        Assert.Equal(WorkflowStatus.Running, instance?.Status);
    }
}
