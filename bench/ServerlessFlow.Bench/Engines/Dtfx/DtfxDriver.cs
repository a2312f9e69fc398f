using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using ServerlessFlow.Bench.Counting;

namespace ServerlessFlow.Bench.Engines.Dtfx;

/// <summary>
/// The Durable Task Framework's Azure Storage engine (the one under Durable Functions) with its shipped
/// defaults, except for the concurrency, which matches ours. Every blob, queue and table client it builds
/// carries the same <see cref="RequestTally"/> as ours.
/// </summary>
internal sealed class DtfxDriver : IEngineDriver
{
    private readonly AzureStorageOrchestrationService service;
    private readonly TaskHubWorker worker;
    private readonly TaskHubClient client;
    private readonly DtfxCompletionWatcher watcher;

    public DtfxDriver(string connectionString, RequestTally tally, int concurrency)
    {
        ResourcePrefix = "dtfx" + Guid.NewGuid().ToString("N")[..8];
        service = new AzureStorageOrchestrationService(Settings(connectionString, tally, concurrency));
        worker = new TaskHubWorker(service);
        worker.AddTaskOrchestrations(typeof(DtfxSequence), typeof(DtfxFanOut), typeof(DtfxTimedSteps));
        worker.AddTaskActivities(typeof(DtfxWork), typeof(DtfxMarkStep));
        client = new TaskHubClient(service);
        watcher = new DtfxCompletionWatcher(new AzureStorageOrchestrationService(Settings(connectionString, tally, concurrency)), tally);
    }

    public string Name => "dtfx";

    public string ResourcePrefix { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await service.CreateIfNotExistsAsync();
        await worker.StartAsync();
        watcher.Start();
    }

    public async Task<string> StartWorkflowAsync(WorkflowSpec spec, CancellationToken cancellationToken)
    {
        var (type, input) = spec switch
        {
            SequenceSpec s => (typeof(DtfxSequence), new DtfxInput(s.Count, s.DelayMs)),
            FanOutSpec f => (typeof(DtfxFanOut), new DtfxInput(f.Count, f.DelayMs)),
            TimedStepsSpec t => (typeof(DtfxTimedSteps), new DtfxInput(t.Count, 0)),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, "No Durable Task orchestration for this spec."),
        };
        var instance = await client.CreateOrchestrationInstanceAsync(type, Guid.NewGuid().ToString("N"), input);
        return instance.InstanceId;
    }

    public async Task<DateTimeOffset> WaitForCompletionAsync(string workflowId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        OrchestrationState state;
        try
        {
            state = await watcher.WaitAsync(workflowId, timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Orchestration {workflowId} on the Durable Task engine did not close within {timeout.TotalMinutes:F0} min (--timeout-minutes).");
        }

        return state.OrchestrationStatus == OrchestrationStatus.Completed
            ? new DateTimeOffset(DateTime.SpecifyKind(state.CompletedTime, DateTimeKind.Utc))
            : throw new InvalidOperationException($"Orchestration {workflowId} on the Durable Task engine ended as {state.OrchestrationStatus}: {state.Output}");
    }

    public async Task StopAsync()
    {
        await watcher.DisposeAsync();
        await worker.StopAsync(isForced: true);
    }

    public async ValueTask DisposeAsync()
    {
        await watcher.DisposeAsync();
        worker.Dispose();
    }

    private AzureStorageOrchestrationServiceSettings Settings(string connectionString, RequestTally tally, int concurrency)
    {
        var blob = new BlobClientOptions();
        var queue = new QueueClientOptions();
        var table = new TableClientOptions();
        blob.AddPolicy(tally, HttpPipelinePosition.PerRetry);
        queue.AddPolicy(tally, HttpPipelinePosition.PerRetry);
        table.AddPolicy(tally, HttpPipelinePosition.PerRetry);

        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = ResourcePrefix,
            StorageAccountClientProvider = new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connectionString, blob),
                StorageServiceClientProvider.ForQueue(connectionString, queue),
                StorageServiceClientProvider.ForTable(connectionString, table)),
            MaxConcurrentTaskOrchestrationWorkItems = concurrency,
            MaxConcurrentTaskActivityWorkItems = concurrency,
        };
    }
}
