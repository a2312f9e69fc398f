using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// Keeps a received message invisible while its task runs by extending its visibility at half the
/// lease, so a live worker keeps its work and a dead worker's message reappears within one lease. Taken when the message is
/// received, not when its task starts: a message that waits for a free slot keeps it too.
/// </summary>
internal sealed class MessageLease : IAsyncDisposable
{
    private readonly ITaskQueues queues;
    private readonly TimeSpan lease;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop;
    private readonly Task renewing;
    private ReceivedMessage? current;

    public MessageLease(ITaskQueues queues, ReceivedMessage message, TimeSpan lease, ILogger logger, CancellationToken cancellationToken)
    {
        this.queues = queues;
        this.lease = lease;
        this.logger = logger;
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

    /// <summary>
    /// Stops renewing and makes the message visible again at once, for a worker that stops before finishing it: another
    /// worker takes it now instead of after the rest of the lease. Best effort: if this fails, the lease runs out as before.
    /// <paramref name="deadline"/> is the worker's wind-down budget (<see cref="WindDown"/>), not a tighter limit of its own: on a
    /// loaded machine a put-back may take seconds, and one abandoned leaves the message hidden for the rest of its lease.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken deadline)
    {
        if (await StopAsync() is not { } held)
        {
            return;
        }

        try
        {
            await queues.SetVisibilityAsync(Redelivery.Settled(held), TimeSpan.Zero, deadline);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The message reappears when its lease runs out.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewing;
        stop.Dispose();
    }

    private async Task RenewAsync(CancellationToken stopping)
    {
        while (current is { } held)
        {
            try
            {
                await Task.Delay(lease / 2, stopping);
            }
            catch (OperationCanceledException)
            {
                return; // Stopped between renewals.
            }

            // A renewal once sent is seen through even if the task ends meanwhile: storage may have applied it, and only its answer
            // carries the new pop receipt. Cancelled mid-flight, the worker would delete or put back the message with the old,
            // stale receipt, which fails as "gone": the message would stay hidden until the lease ran out and then come back.
            // Bounded, so a stop never waits on a renewal longer than half a lease.
            using var deadline = new CancellationTokenSource(lease / 2);
            try
            {
                current = await queues.SetVisibilityAsync(held, lease, deadline.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Storage failed or refused (its retries spent): the message keeps the rest of its lease and, unless storage applied
                // the renewal after all, its receipt. Never a reason to drop the task's outcome: the next tick tries again.
                Log.LeaseRenewalFailed(logger, held.MessageId, held.Queue, e);
            }
        }
    }
}
