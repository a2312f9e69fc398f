using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Bench.Counting;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Bench.Engines.Ours;

/// <summary>Our engine on Azure Storage: the sample HelloSequence and the benchmark's workflows, registered the way users do.</summary>
internal sealed class OursDriver : IEngineDriver
{
    /// <summary>The activities' start-to-close timeout, the sample's default: it decides when our timeout checks fire after a run.</summary>
    public static readonly TimeSpan ActivityTimeout = TimeSpan.FromSeconds(60);

    private readonly ServiceProvider provider;
    private readonly RequestTally tally;
    private readonly CancellationTokenSource stop = new();
    private Task? worker;

    /// <param name="connectionString">The storage.</param>
    /// <param name="tally">Counts the engine's storage requests.</param>
    /// <param name="concurrency">Workflow tasks and activities at once.</param>
    /// <param name="eager">
    /// False to turn eager start and eager activities off (<see cref="WorkerOptions.EagerStart"/>, and a zero
    /// <see cref="WorkerOptions.EagerExecutionBudget"/>): every step goes through the queues, the path a second worker or a Functions
    /// scale-out takes.
    /// </param>
    /// <param name="taskQueues">Task queues the worker serves: "default", where the workflows run, and as many more as it takes.</param>
    public OursDriver(string connectionString, RequestTally tally, int concurrency, bool eager = true, int taskQueues = 1)
    {
        this.tally = tally;
        ResourcePrefix = "sf" + Guid.NewGuid().ToString("N")[..8];
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddServerlessFlow(b => b.AddSamples()
            .AddWorkflow<BenchFanOut>().AddWorkflow<BenchTimedSteps>().AddActivities<BenchActivities>()
            .UseAzureStorage(new AzureStorageOptions { ConnectionString = connectionString, Prefix = ResourcePrefix, Policies = [tally] })
            .ConfigureWorker(o => o with
            {
                MaxConcurrentWorkflowTasks = concurrency, MaxConcurrentActivities = concurrency,
                TaskQueues = ["default", .. Enumerable.Range(2, taskQueues - 1).Select(i => $"queue{i}")],
            })
            .ConfigureWorker(o => eager ? o : o with { EagerStart = false, EagerExecutionBudget = TimeSpan.Zero }));
        provider = services.BuildServiceProvider();
    }

    public string Name => "ours";

    public string ResourcePrefix { get; }

    private IWorkflowClient Client => provider.GetRequiredService<IWorkflowClient>();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        worker = provider.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
        return Task.CompletedTask;
    }

    public async Task<string> StartWorkflowAsync(WorkflowSpec spec, CancellationToken cancellationToken)
    {
        var (type, input) = spec switch
        {
            SequenceSpec s => (nameof(HelloSequence), (object)new HelloInput(s.Count, s.DelayMs, (int)ActivityTimeout.TotalMilliseconds)),
            FanOutSpec f => (nameof(BenchFanOut), new FanOutInput(f.Count, f.DelayMs)),
            TimedStepsSpec t => (nameof(BenchTimedSteps), t.Count),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, "No workflow of ours for this spec."),
        };
        var handle = await Client.StartWorkflowAsync(type, input, new StartWorkflowOptions(), cancellationToken);
        return handle.Id;
    }

    public async Task<DateTimeOffset> WaitForCompletionAsync(string workflowId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        WorkflowDescription closed;
        using (tally.Exclude())
        {
            closed = await Client.WaitForCloseAsync(workflowId, timeout, cancellationToken);
        }

        return closed is { Status: WorkflowStatus.Completed, ClosedAt: { } at }
            ? at
            : throw new InvalidOperationException(closed.Status == WorkflowStatus.Running
                ? $"Workflow {workflowId} on our engine did not close within {timeout.TotalMinutes:F0} min (--timeout-minutes)."
                : $"Workflow {workflowId} on our engine ended as {closed.Status} ({closed.Failure?.Message ?? "no failure recorded"}).");
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        if (worker is not null)
        {
            await worker;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        stop.Dispose();
    }
}
