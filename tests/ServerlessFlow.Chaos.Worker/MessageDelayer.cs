using Azure;
using Azure.Storage.Queues;

namespace ServerlessFlow.Chaos.Worker;

/// <summary>
/// Delays a message the worker just sent, through a client of its own without faults: the fault policy's way of
/// making a send arrive late (a signed request cannot be changed in the pipeline).
/// </summary>
internal sealed class MessageDelayer(string connectionString)
{
    /// <summary>The Queue service version the engine's client speaks (see AzureStorageBackend): Azurite accepts it.</summary>
    private readonly QueueServiceClient queues = new(connectionString, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06));

    /// <summary>Makes the message visible only after <paramref name="visibility"/>; false if it was received meanwhile (its receipt is stale).</summary>
    public async Task<bool> DelayAsync(string queue, string messageId, string popReceipt, TimeSpan visibility)
    {
        try
        {
            await queues.GetQueueClient(queue).UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: visibility);
            return true;
        }
        catch (RequestFailedException)
        {
            return false;
        }
    }
}
