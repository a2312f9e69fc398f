using ServerlessFlow.AzureStorage;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Hosting.DeadLetters;

/// <summary>Dead letters of the Azure Storage backend: the table "{prefix}deadletters", through <see cref="AzureDeadLetters"/>.</summary>
internal sealed class AzureDeadLetterStore(AzureDeadLetters deadLetters) : IDeadLetterStore
{
    public async Task<DeadLetterEntryPage> ListAsync(string? queue, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var page = await deadLetters.ListAsync(queue, pageSize, continuationToken, cancellationToken);
        return new DeadLetterEntryPage(page.Items.Select(ToEntry).ToList(), page.ContinuationToken);
    }

    public Task<bool> ReplayAsync(string queue, string messageId, CancellationToken cancellationToken) =>
        deadLetters.RequeueAsync(queue, messageId, cancellationToken);

    public Task<bool> DeleteAsync(string queue, string messageId, CancellationToken cancellationToken) =>
        deadLetters.DeleteAsync(queue, messageId, cancellationToken);

    private static DeadLetterEntry ToEntry(DeadLetter letter) => new(
        DeadLetterIds.Format(letter.Queue, letter.MessageId), letter.Queue, letter.MessageId, TaskMessage.TryParse(letter.Body)?.Subject,
        letter.Reason, letter.DequeueCount, letter.DeadLetteredAt, letter.Body);
}
