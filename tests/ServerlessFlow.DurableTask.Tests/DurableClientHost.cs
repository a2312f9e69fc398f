using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.Samples;

namespace ServerlessFlow.DurableTask.Tests;

/// <summary>The engine with its worker running and a DurableTaskClient registered the way Durable Functions code does it.</summary>
internal sealed class DurableClientHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly CancellationTokenSource stop = new();
    private readonly Task worker;

    private DurableClientHost(Action<ServerlessFlowBuilder> backend)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddServerlessFlow(flow =>
        {
            flow.AddSamples().AddWorkflow<FailingWorkflow>();
            flow.ConfigureWorker(o => o with { MaxPollInterval = TimeSpan.FromMilliseconds(50), Retention = null });
            backend(flow);
        });
        services.AddDurableTaskClient(builder => builder.UseServerlessFlow());
        provider = services.BuildServiceProvider();
        Client = provider.GetRequiredService<DurableTaskClient>();
        worker = provider.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
    }

    public DurableTaskClient Client { get; }

    /// <summary>ServerlessFlow's own client, to check what the Durable Task client did.</summary>
    public IWorkflowClient Workflows => provider.GetRequiredService<IWorkflowClient>();

    public static DurableClientHost InMemory() => new(flow => flow.UseInMemoryBackend());

    public static DurableClientHost Azure(string connectionString) => new(flow => flow.UseAzureStorage(new AzureStorageOptions
    {
        ConnectionString = connectionString, Prefix = "d" + Guid.NewGuid().ToString("N")[..12], RetryDelay = TimeSpan.FromMilliseconds(20),
    }));

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await worker;
        await provider.DisposeAsync();
        stop.Dispose();
    }
}

/// <summary>Fails with a cause, to show how failure details map (the type is listed, so it fails the workflow, not its task).</summary>
[Workflow(FailureExceptionTypes = [typeof(InvalidOperationException)])]
public sealed class FailingWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(string message) => throw new InvalidOperationException(message, new ArgumentException("the cause"));
}
