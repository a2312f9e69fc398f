using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Diagnostics;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// <see cref="ITaskQueues"/> on Azure Storage Queues. Logical queue L is the storage queue "{prefix}-{L}";
/// bodies are the message's JSON as plain text (no base64), which is XML-safe because the serializer escapes
/// control characters and markup. A Function App's queue trigger must therefore use messageEncoding "none".
/// </summary>
internal sealed class AzureTaskQueues : ITaskQueues
{
    private readonly QueueServiceClient service;
    private readonly string prefix;
    private readonly TableClient deadLetters;
    private readonly ConcurrentDictionary<string, QueueClient> clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> ensured = new(StringComparer.Ordinal);

    /// <summary>Creates the queues on <paramref name="service"/> with <paramref name="prefix"/>; dead letters go to <paramref name="deadLetters"/>.</summary>
    public AzureTaskQueues(QueueServiceClient service, string prefix, TableClient deadLetters)
    {
        this.service = service;
        this.prefix = prefix;
        this.deadLetters = deadLetters;
    }

    /// <inheritdoc />
    public TimeSpan MaxDelay => AzureLimits.MaxVisibility;

    /// <inheritdoc />
    public async Task EnsureQueueAsync(string queue, CancellationToken cancellationToken)
    {
        if (ensured.ContainsKey(queue))
        {
            return;
        }

        await StorageErrors.Run($"Creating queue '{queue}'", () => Client(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken), cancellationToken);
        ensured[queue] = true;
    }

    /// <inheritdoc />
    public Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var due = DateTimeOffset.UtcNow + Visibility(delay);
        return SendBodyAsync(queue, (message with { DueAt = due }).ToJson(), delay, cancellationToken);
    }

    /// <summary>Sends a raw body (used to re-enqueue dead letters); the delay is clamped to [0, 7 days]. Returns the message's handle.</summary>
    public async Task<ReceivedMessage> SendBodyAsync(string queue, string body, TimeSpan delay, CancellationToken cancellationToken)
    {
        var visibility = Visibility(delay);
        var receipt = await StorageErrors.Run($"Sending to queue '{queue}'", async () =>
        {
            try
            {
                return (await Client(queue).SendMessageAsync(body, visibility, AzureLimits.InfiniteMessageTimeToLive, cancellationToken)).Value;
            }
            catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
            {
                // Outbox messages may target a task queue no worker has ensured yet; a message must not be lost for that.
                ensured.TryRemove(queue, out _);
                await EnsureQueueAsync(queue, cancellationToken);
                return (await Client(queue).SendMessageAsync(body, visibility, AzureLimits.InfiniteMessageTimeToLive, cancellationToken)).Value;
            }
        }, cancellationToken);
        return new ReceivedMessage(queue, receipt.MessageId, receipt.PopReceipt, body, 0);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var count = Math.Clamp(maxMessages, 1, AzureLimits.MaxMessagesPerReceive);
        var visibility = visibilityTimeout < AzureLimits.MinReceiveVisibility ? AzureLimits.MinReceiveVisibility
            : visibilityTimeout > AzureLimits.MaxVisibility ? AzureLimits.MaxVisibility : visibilityTimeout;
        return await StorageErrors.Run($"Receiving from queue '{queue}'", async () =>
        {
            try
            {
                var response = await Client(queue).ReceiveMessagesAsync(count, visibility, cancellationToken);
                return response.Value.Select(m => new ReceivedMessage(queue, m.MessageId, m.PopReceipt, m.Body.ToString(), m.DequeueCount)).ToList();
            }
            catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
            {
                return (IReadOnlyList<ReceivedMessage>)[]; // A queue that does not exist yet holds no messages.
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return StorageErrors.Run($"Deleting message {message.MessageId} from queue '{message.Queue}'", async () =>
        {
            try
            {
                await Client(message.Queue).DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            catch (RequestFailedException e) when (StorageErrors.IsMessageGone(e))
            {
                // Gone or redelivered to someone else: the contract ignores it, the new holder decides.
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var visibility = Visibility(delay);
        return await StorageErrors.Run($"Changing visibility of message {message.MessageId} in queue '{message.Queue}'", async () =>
        {
            try
            {
                var receipt = await Client(message.Queue).UpdateMessageAsync(message.MessageId, message.PopReceipt, messageText: message.Body, visibilityTimeout: visibility, cancellationToken: cancellationToken);
                return message with { PopReceipt = receipt.Value.PopReceipt };
            }
            catch (RequestFailedException e) when (StorageErrors.IsMessageGone(e))
            {
                return null;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Row first, delete second: a crash in between leaves a duplicate (harmless), never a lost message.
        await DeadLetterRows.WriteAsync(deadLetters, DeadLetterRows.ToEntity(message, reason, DateTimeOffset.UtcNow), cancellationToken);
        await DeleteAsync(message, cancellationToken);
        ServerlessFlowTelemetry.CountDeadLetter(message.Queue);
    }

    /// <summary>The storage queue of a logical queue name.</summary>
    private QueueClient Client(string queue) =>
        clients.GetOrAdd(queue, name => service.GetQueueClient(AzureStorageBackend.PhysicalQueueName(prefix, name)));

    /// <summary>
    /// The visibility delay of a send or a put-back. The engine caps its delays (<c>Redelivery.Clamp</c>); a raw send (a dead letter
    /// requeued) may not, and storage refuses a negative one: so a delay is sent within [0, <see cref="MaxDelay"/>].
    /// </summary>
    private static TimeSpan Visibility(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > AzureLimits.MaxVisibility ? AzureLimits.MaxVisibility : delay;
}
