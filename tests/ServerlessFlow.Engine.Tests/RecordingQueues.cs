using System.Collections.Concurrent;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Real task queues with a record of every message sent through them, so tests can tell which path work took.</summary>
internal sealed class RecordingQueues(ITaskQueues inner) : ITaskQueues
{
    private readonly ConcurrentQueue<(string Queue, TaskMessage Message)> sent = new();

    /// <summary>Every message sent so far, in order.</summary>
    public IReadOnlyList<(string Queue, TaskMessage Message)> Sent => [.. sent];

    public TimeSpan MaxDelay => inner.MaxDelay;

    public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) => inner.EnsureQueueAsync(queue, cancellationToken);

    public async Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var handle = await inner.SendAsync(queue, message, delay, cancellationToken);
        sent.Enqueue((queue, message));
        return handle;
    }

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(queue, maxMessages, visibilityTimeout, cancellationToken);

    public Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken) => inner.DeleteAsync(message, cancellationToken);

    public Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        inner.SetVisibilityAsync(message, delay, cancellationToken);

    public Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken) => inner.DeadLetterAsync(message, reason, cancellationToken);
}
