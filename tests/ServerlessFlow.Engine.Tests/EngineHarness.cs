using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Worker;

namespace ServerlessFlow.Engine.Tests;

/// <summary>An engine on the in-memory backend with its worker running, for tests of workflow behaviour.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    /// <summary>
    /// How long a large workflow may go without progress before <see cref="WaitForCloseWhileProgressingAsync"/> calls it stuck: longer
    /// than the recovery sweep takes to resend a lost message and than a few failed tasks' back-offs (2 s, 4 s, 8 s …), far shorter
    /// than a minutes-long run on a loaded machine.
    /// </summary>
    private static readonly TimeSpan StallBound = TimeSpan.FromMinutes(2);

    /// <summary>How often the wait looks at the progress of a workflow that has not closed.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    /// <summary>Against a workflow that keeps making progress forever: xUnit has no timeout of its own, CI must not hang.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(30);

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

    /// <summary>
    /// Waits for a workflow that does a lot of work (a large fan-out) to close for as long as it makes progress: its history grows, or
    /// its children (IDs starting with its own) start or close. Fails only when nothing moved for <see cref="StallBound"/>: a loaded
    /// machine gets the time it needs, and work that was lost still fails the test, naming where it stopped. The parent's history
    /// alone is not enough: measured on Azurite, it stayed at its first task's 1,001 events for up to 146 s while the children of a
    /// 1,000-child fan-out started and ran.
    /// </summary>
    public async Task<WorkflowDescription> WaitForCloseWhileProgressingAsync(string id)
    {
        var guard = DateTimeOffset.UtcNow + HangGuard;
        var lastMoved = DateTimeOffset.UtcNow;
        var seen = (History: 0L, Children: 0, ChildrenClosed: 0);
        while (true)
        {
            var described = await Client.WaitForCloseAsync(id, ProgressInterval);
            if (described.Status != WorkflowStatus.Running)
            {
                return described;
            }

            var now = (History: described.HistoryLength, Children: 0, ChildrenClosed: 0);
            var query = new WorkflowListQuery { IdPrefix = id + "-", PageSize = 1000 };
            do
            {
                var page = await Client.ListWorkflowsAsync(query);
                now.Children += page.Items.Count;
                now.ChildrenClosed += page.Items.Count(child => child.Status != WorkflowStatus.Running);
                query = query with { ContinuationToken = page.ContinuationToken };
            }
            while (query.ContinuationToken is not null);

            if (now.History > seen.History || now.Children > seen.Children || now.ChildrenClosed > seen.ChildrenClosed)
            {
                (seen, lastMoved) = (now, DateTimeOffset.UtcNow);
            }

            var stalled = DateTimeOffset.UtcNow - lastMoved > StallBound;
            Assert.False(
                stalled || DateTimeOffset.UtcNow > guard,
                $"Workflow {id} is stuck ({(stalled ? $"nothing moved for {StallBound.TotalMinutes} min" : $"still moving after {HangGuard.TotalMinutes} min")}): "
                + $"{now.History} history events, {now.Children} children started, {now.ChildrenClosed} closed; last task failure: {described.LastTaskFailure ?? "none"}.");
        }
    }

    /// <summary>
    /// Stops the worker without waiting for it to return (<see cref="DisposeAsync"/> does): completes once the stop has reached every
    /// token linked to it, so a hook inside one of the worker's own requests can stop it there.
    /// </summary>
    public Task StopAsync() => stop.CancelAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await worker;
        await provider.DisposeAsync();
        stop.Dispose();
    }
}
