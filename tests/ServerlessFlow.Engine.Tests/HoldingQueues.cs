using System.Collections.Concurrent;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Real task queues that deliver the messages a test names late: a matching send succeeds for the sender but reaches the
/// queue only when the test releases it (what a slow or busy queue does to an at-least-once hint). Also records the
/// messages whose handling has ended (deleted, put back for a retry, or dead-lettered), so a test can wait for that; a
/// lease renewal would count too, but the handlers these tests wait for end well within half a lease.
/// </summary>
internal sealed class HoldingQueues(ITaskQueues inner) : ITaskQueues
{
    private readonly ConcurrentQueue<(string Queue, TaskMessage Message, TimeSpan Delay)> held = new();
    private readonly ConcurrentQueue<TaskMessage> settled = new();
    private readonly ConcurrentQueue<TaskMessage> sent = new();
    private readonly ConcurrentQueue<TaskMessage> finished = new();
    private volatile Func<TaskMessage, bool>? hold;

    /// <summary>Messages held back so far and not released.</summary>
    public IReadOnlyList<TaskMessage> Held => held.Select(h => h.Message).ToList();

    /// <summary>Messages whose handling ended, in order.</summary>
    public IReadOnlyList<TaskMessage> Settled => [.. settled];

    /// <summary>
    /// True when messages <paramref name="match"/> accepts went to the queue and each has been deleted or dead-lettered: no
    /// handler still holds one (a settled redelivery does not count, nor does a message put back for later).
    /// </summary>
    public bool Finished(Func<TaskMessage, bool> match) => sent.Any(match) && finished.Count(match) >= sent.Count(match);

    /// <summary>Holds back every message sent from now on that <paramref name="match"/> accepts.</summary>
    public void Hold(Func<TaskMessage, bool> match) => hold = match;

    /// <summary>Stops holding and sends what was held.</summary>
    public async Task ReleaseAsync()
    {
        hold = null;
        while (held.TryDequeue(out var message))
        {
            sent.Enqueue(message.Message);
            await inner.SendAsync(message.Queue, message.Message, message.Delay, CancellationToken.None);
        }
    }

    public TimeSpan MaxDelay => inner.MaxDelay;

    public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) => inner.EnsureQueueAsync(queue, cancellationToken);

    public Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (hold is { } match && match(message))
        {
            // Not in the queue yet: a handle that names no message, so deleting it finds nothing (as for a message already gone).
            held.Enqueue((queue, message, delay));
            return Task.FromResult(new ReceivedMessage(queue, Guid.NewGuid().ToString(), Guid.NewGuid().ToString("N"), message.ToJson(), 0));
        }

        sent.Enqueue(message);
        return inner.SendAsync(queue, message, delay, cancellationToken);
    }

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(queue, maxMessages, visibilityTimeout, cancellationToken);

    public async Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        await inner.DeleteAsync(message, cancellationToken);
        Settle(message, final: true);
    }

    public async Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var updated = await inner.SetVisibilityAsync(message, delay, cancellationToken);
        Settle(message, final: false);
        return updated;
    }

    public async Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        await inner.DeadLetterAsync(message, reason, cancellationToken);
        Settle(message, final: true);
    }

    private void Settle(ReceivedMessage message, bool final)
    {
        if (TaskMessage.TryParse(message.Body) is { } parsed)
        {
            settled.Enqueue(parsed);
            if (final)
            {
                finished.Enqueue(parsed);
            }
        }
    }
}
