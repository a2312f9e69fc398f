using System.Collections.Concurrent;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Testing;

/// <summary>
/// Knows which queue messages the worker holds (received and not yet deleted, dead-lettered or released after their
/// handler returned), so time never skips while a workflow or activity task runs. Every queue operation pulses
/// <see cref="Changed"/> so that a waiting skipper looks again at once.
/// </summary>
internal sealed class WorkTracker
{
    private readonly ConcurrentDictionary<string, bool> held = new(StringComparer.Ordinal);
    private int receiving;
    private TaskCompletionSource changed = NewSignal();

    /// <summary>True while a receive is under way or a received message is not settled.</summary>
    public bool Busy => Volatile.Read(ref receiving) > 0 || !held.IsEmpty;

    /// <summary>Completes at the next queue operation.</summary>
    public Task Changed => Volatile.Read(ref changed).Task;

    public void Receiving() => Interlocked.Increment(ref receiving);

    public void Received(IEnumerable<ReceivedMessage> messages)
    {
        foreach (var message in messages)
        {
            held[message.MessageId] = false;
        }

        Interlocked.Decrement(ref receiving);
        Pulse();
    }

    /// <summary>The handler of the message returned; its next release settles it (earlier ones renewed its lease).</summary>
    public void Handled(ReceivedMessage message)
    {
        if (held.ContainsKey(message.MessageId))
        {
            held[message.MessageId] = true;
        }
    }

    public void Released(ReceivedMessage message)
    {
        if (held.TryGetValue(message.MessageId, out var handled) && handled)
        {
            Settled(message);
        }
        else
        {
            Pulse();
        }
    }

    public void Settled(ReceivedMessage message)
    {
        held.TryRemove(message.MessageId, out _);
        Pulse();
    }

    public void Pulse() => Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The task queues as the worker sees them, reporting each receive and settlement to the <see cref="WorkTracker"/>.</summary>
internal sealed class TrackedTaskQueues(ITaskQueues inner, WorkTracker tracker) : ITaskQueues
{
    public TimeSpan MaxDelay => inner.MaxDelay;

    public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) => inner.EnsureQueueAsync(queue, cancellationToken);

    public async Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var sent = await inner.SendAsync(queue, message, delay, cancellationToken);
        tracker.Pulse();
        return sent;
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        tracker.Receiving();
        IReadOnlyList<ReceivedMessage> received = [];
        try
        {
            received = await inner.ReceiveAsync(queue, maxMessages, visibilityTimeout, cancellationToken);
            return received;
        }
        finally
        {
            tracker.Received(received);
        }
    }

    public async Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        await inner.DeleteAsync(message, cancellationToken);
        tracker.Settled(message);
    }

    public async Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var updated = await inner.SetVisibilityAsync(message, delay, cancellationToken);
        tracker.Released(message);
        return updated;
    }

    public async Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        await inner.DeadLetterAsync(message, reason, cancellationToken);
        tracker.Settled(message);
    }
}

/// <summary>The task handler, telling the <see cref="WorkTracker"/> when a message's handler has returned.</summary>
internal sealed class TrackedTaskHandler(ITaskHandler inner, WorkTracker tracker) : ITaskHandler
{
    public async Task<TaskOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.HandleAsync(message, cancellationToken);
        }
        finally
        {
            tracker.Handled(message);
        }
    }
}
