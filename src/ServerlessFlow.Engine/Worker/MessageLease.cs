using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// Keeps a received message invisible while its task runs by extending its visibility at half the
/// lease, so a live worker keeps its work and a dead worker's message reappears within one lease.
/// </summary>
internal sealed class MessageLease : IAsyncDisposable
{
    private readonly ITaskQueues queues;
    private readonly TimeSpan lease;
    private readonly CancellationTokenSource stop;
    private readonly Task renewing;
    private ReceivedMessage? current;

    public MessageLease(ITaskQueues queues, ReceivedMessage message, TimeSpan lease, CancellationToken cancellationToken)
    {
        this.queues = queues;
        this.lease = lease;
        current = message;
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        renewing = RenewAsync(stop.Token);
    }

    /// <summary>Stops renewing; returns the current handle of the message, or null if the lease was lost.</summary>
    public async Task<ReceivedMessage?> StopAsync()
    {
        await stop.CancelAsync();
        await renewing;
        return current;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewing;
        stop.Dispose();
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (current is not null)
            {
                await Task.Delay(lease / 2, cancellationToken);
                current = await queues.SetVisibilityAsync(current, lease, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
