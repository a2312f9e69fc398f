using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Worker;

namespace ServerlessFlow.Hosting.Worker;

/// <summary>Runs the engine's polling <see cref="WorkflowWorker"/> for the lifetime of the host (dev server, self-hosted apps).</summary>
internal sealed class PollingWorkerService(WorkflowWorker worker, WorkerOptions options, ILogger<PollingWorkerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.WorkerStarted(logger, string.Join(",", options.TaskQueues));
        try
        {
            await worker.RunAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Log.WorkerCrashed(logger, e);
            throw;
        }
    }
}
