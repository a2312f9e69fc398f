using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Worker;

namespace ServerlessFlow.Engine.Tests;

/// <summary>An engine on the in-memory backend with its worker running, for tests of workflow behaviour.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly CancellationTokenSource stop = new();
    private readonly Task worker;

    public EngineHarness(Action<ServerlessFlowBuilder> register, TestBackend backend, TimeProvider? time = null)
    {
        Backend = backend;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddServerlessFlow(b =>
        {
            b.UseBackend(_ => Backend.Store, _ => Backend.Queues, _ => Backend.Visibility, _ => Backend.Schedules);
            b.ConfigureWorker(o => o with
            {
                MaxPollInterval = TimeSpan.FromMilliseconds(50), SweepInterval = TimeSpan.FromMilliseconds(200), StallThreshold = TimeSpan.FromMilliseconds(500),
                MaxHeartbeatThrottle = TimeSpan.FromMilliseconds(50), ActivityTimeoutSlack = TimeSpan.FromMilliseconds(200),
                Retention = null, // tests that advance fake clocks by months opt in
            });

            // Last, so a test's own worker settings win over the fast defaults above.
            register(b);
        });
        provider = services.BuildServiceProvider();
        Client = provider.GetRequiredService<IWorkflowClient>();
        worker = provider.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
    }

    public TestBackend Backend { get; }

    public IWorkflowClient Client { get; }

    public ServerlessFlow.Schedules.IScheduleClient Schedules => provider.GetRequiredService<ServerlessFlow.Schedules.IScheduleClient>();

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    /// <summary>Starts a workflow and waits (with a deadline) for it to close.</summary>
    public async Task<WorkflowDescription> RunAsync(string type, object? input, string? id = null)
    {
        var handle = await Client.StartWorkflowAsync(type, input, new StartWorkflowOptions { Id = id });
        var closed = await Client.WaitForCloseAsync(handle.Id, TimeSpan.FromSeconds(30));
        Assert.NotEqual(WorkflowStatus.Running, closed.Status);
        return closed;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await worker;
        await provider.DisposeAsync();
        stop.Dispose();
    }
}
