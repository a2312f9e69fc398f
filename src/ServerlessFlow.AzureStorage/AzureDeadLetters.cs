using Azure;
using Azure.Data.Tables;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Messages that could not be handled, kept in the table "{Prefix}deadletters" by
/// <see cref="Engine.Backend.ITaskQueues.DeadLetterAsync"/>: list them, look at one, put one back on its
/// queue, or drop it.
/// </summary>
public sealed class AzureDeadLetters
{
    private readonly TableClient table;
    private readonly AzureTaskQueues queues;

    internal AzureDeadLetters(TableClient table, AzureTaskQueues queues)
    {
        this.table = table;
        this.queues = queues;
    }

    /// <summary>One page of dead letters, of one logical queue or of all, in key order (queue, message ID).</summary>
    /// <param name="queue">Only this logical queue; null for every queue.</param>
    /// <param name="pageSize">Items per page, 1–1000.</param>
    /// <param name="continuationToken">The previous page's token; null for the first page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<DeadLetterPage> ListAsync(string? queue, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);
        var filter = queue is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {KeyEscaping.Escape(queue)}");
        return await StorageErrors.Run("Listing dead letters", async () =>
        {
            try
            {
                await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
                {
                    return new DeadLetterPage(page.Values.Select(DeadLetterRows.FromEntity).ToList(), page.ContinuationToken);
                }
            }
            catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
            {
                // Nothing was ever dead-lettered on this account (the table is created on first use).
            }

            return new DeadLetterPage([], null);
        }, cancellationToken);
    }

    /// <summary>One dead letter; null if there is none with that queue and message ID.</summary>
    public async Task<DeadLetter?> GetAsync(string queue, string messageId, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(queue, messageId, cancellationToken);
        return row is null ? null : DeadLetterRows.FromEntity(row);
    }

    /// <summary>
    /// Sends the dead letter's body to its queue again (visible now, as a new message) and removes it from the
    /// dead letters. False if there is no such dead letter. The send comes first: a crash in between leaves the
    /// dead letter in place, to be re-enqueued again — a duplicate message, which handlers tolerate.
    /// </summary>
    public async Task<bool> RequeueAsync(string queue, string messageId, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(queue, messageId, cancellationToken);
        if (row is null)
        {
            return false;
        }

        var letter = DeadLetterRows.FromEntity(row);
        await queues.SendBodyAsync(letter.Queue, letter.Body, TimeSpan.Zero, cancellationToken);
        return await DeleteRowAsync(row, cancellationToken);
    }

    /// <summary>Removes a dead letter without re-enqueueing it. False if there is no such dead letter.</summary>
    public async Task<bool> DeleteAsync(string queue, string messageId, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(queue, messageId, cancellationToken);
        return row is not null && await DeleteRowAsync(row, cancellationToken);
    }

    private async Task<TableEntity?> ReadAsync(string queue, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return await StorageErrors.Run("Reading a dead letter", async () =>
        {
            try
            {
                return await TableRows.ReadAsync(table, KeyEscaping.Escape(queue), KeyEscaping.Escape(messageId), cancellationToken);
            }
            catch (Engine.Backend.StoreException e) when (e.Status == 404)
            {
                return null; // The table does not exist: nothing was ever dead-lettered.
            }
        }, cancellationToken);
    }

    private Task<bool> DeleteRowAsync(TableEntity row, CancellationToken cancellationToken) =>
        StorageErrors.Run("Deleting a dead letter", async () =>
        {
            try
            {
                await table.DeleteEntityAsync(row, row.ETag, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
            {
                return false; // Someone else re-enqueued or deleted it meanwhile.
            }
        }, cancellationToken);
}

/// <summary>A message that was moved out of its queue because it could not be handled.</summary>
/// <param name="Queue">The logical queue it came from.</param>
/// <param name="MessageId">Its message ID in that queue.</param>
/// <param name="Body">The message body, unchanged.</param>
/// <param name="Reason">Why it was dead-lettered.</param>
/// <param name="DequeueCount">How many times it had been delivered.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered.</param>
public sealed record DeadLetter(string Queue, string MessageId, string Body, string Reason, long DequeueCount, DateTimeOffset DeadLetteredAt);

/// <summary>One page of dead letters.</summary>
/// <param name="Items">The dead letters.</param>
/// <param name="ContinuationToken">Token of the next page; null on the last.</param>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetter> Items, string? ContinuationToken);
