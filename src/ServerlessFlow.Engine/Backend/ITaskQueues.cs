namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// At-least-once task queues (Azure Storage Queues). Messages are hints: duplicates and delays are
/// expected and every handler tolerates them. Logical names come from <see cref="QueueNames"/>.
/// </summary>
public interface ITaskQueues
{
    /// <summary>
    /// The longest delay <see cref="SendAsync"/> and <see cref="SetVisibilityAsync"/> take (Azure Storage queues: 7 days). The engine
    /// gives no message a longer one: a handler whose wait is longer gets its message early and puts it back.
    /// </summary>
    TimeSpan MaxDelay { get; }

    /// <summary>Creates the queue if needed; idempotent.</summary>
    Task EnsureQueueAsync(string queue, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a message, visible after <paramref name="delay"/> (at most <see cref="MaxDelay"/>: the caller caps it), with
    /// <see cref="TaskMessage.DueAt"/> set to when it becomes visible. Returns the message's handle (dequeue count 0), with which
    /// the sender can delete it before it is delivered, once it knows the message is not needed (a backstop whose work was done).
    /// </summary>
    Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Receives up to <paramref name="maxMessages"/> messages, hiding them for <paramref name="visibilityTimeout"/>.</summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>Deletes a handled message. A message that is already gone, or whose receipt is stale, is ignored.</summary>
    Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the message visible again after <paramref name="delay"/> (0 = now; at most <see cref="MaxDelay"/>), with <c>message.Body</c> as its content (a worker
    /// putting a message back records its deliveries in it); returns the updated handle, or null if the receipt is stale.
    /// </summary>
    Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Moves a message that cannot be handled to the dead-letter queue of its queue and deletes it.</summary>
    Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken);
}

/// <summary>A received message and the handle to delete or release it.</summary>
/// <param name="Queue">Logical queue name.</param>
/// <param name="MessageId">The queue's message ID.</param>
/// <param name="PopReceipt">The receipt of this delivery.</param>
/// <param name="Body">The raw body; parse with <see cref="TaskMessage.TryParse(string)"/>.</param>
/// <param name="DequeueCount">How many times it has been delivered, this time included.</param>
public sealed record ReceivedMessage(string Queue, string MessageId, string PopReceipt, string Body, long DequeueCount);
