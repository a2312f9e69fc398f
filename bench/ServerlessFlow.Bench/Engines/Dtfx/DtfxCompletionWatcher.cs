using System.Collections.Concurrent;
using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;
using ServerlessFlow.Bench.Counting;

namespace ServerlessFlow.Bench.Engines.Dtfx;

/// <summary>
/// Learns when Durable Task orchestrations close with one instance-table query per interval for all of them
/// (its own polling waits seconds per instance), through a second service of the same task hub whose requests
/// the tally leaves out of the engine's figures.
/// </summary>
internal sealed class DtfxCompletionWatcher(AzureStorageOrchestrationService uncounted, RequestTally tally) : IAsyncDisposable
{
    /// <summary>How often the instance table is read while someone waits: short against step times, light on Azurite.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private static readonly OrchestrationStatus[] Closed =
        [OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled];

    private readonly ConcurrentDictionary<string, TaskCompletionSource<OrchestrationState>> waiters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim wake = new(0);
    private Task? loop;
    private int disposed;

    public void Start() => loop = Task.Run(() => PollAsync(stop.Token));

    public async Task<OrchestrationState> WaitAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = waiters.GetOrAdd(instanceId, _ => new TaskCompletionSource<OrchestrationState>(TaskCreationOptions.RunContinuationsAsynchronously));
        wake.Release();
        return await waiter.Task.WaitAsync(timeout, cancellationToken);
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var condition = new OrchestrationInstanceStatusQueryCondition { RuntimeStatus = Closed, FetchInput = false };
        using var notTheEngines = tally.Exclude();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (waiters.IsEmpty)
            {
                await wake.WaitAsync(cancellationToken);
                continue;
            }

            string? continuation = null;
            do
            {
                var page = await uncounted.GetOrchestrationStateAsync(condition, 1000, continuation, cancellationToken);
                foreach (var state in page.OrchestrationState)
                {
                    if (waiters.TryRemove(state.OrchestrationInstance.InstanceId, out var waiter))
                    {
                        waiter.TrySetResult(state);
                    }
                }

                continuation = page.ContinuationToken;
            }
            while (!string.IsNullOrEmpty(continuation));

            await Task.Delay(Interval, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync();
        if (loop is not null)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // The watcher was stopped while it waited: that is how it ends.
            }
        }

        stop.Dispose();
        wake.Dispose();
    }
}
