using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.Hosting.Configuration;

namespace ServerlessFlow.Hosting.Worker;

/// <summary>
/// Creates the engine's tables and the bound queues at start-up, for triggered hosts that run no polling
/// worker (which would do it itself). Idempotent; deployments create them up front, this covers local runs.
/// A failure is logged, not fatal: the app still serves what it can, and the log says what is missing.
/// </summary>
internal sealed class StorageInitializationService(
    StorageInitializer storage, ITaskQueues queues, TaskQueueBindings bindings, ILogger<StorageInitializationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await storage.InitializeAsync(cancellationToken);
            await queues.EnsureQueueAsync(bindings.WorkflowQueue, cancellationToken);
            await queues.EnsureQueueAsync(bindings.ActivityQueue, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.StorageInitializationFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
