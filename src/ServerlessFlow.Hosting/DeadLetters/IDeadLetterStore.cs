namespace ServerlessFlow.Hosting.DeadLetters;

/// <summary>
/// The dead letters of the configured backend, as the HTTP API needs them: task messages a worker could not
/// handle (an unparseable body, or handling that kept failing outside user code), moved out of their queue.
/// The engine's backend contract only writes them (<see cref="Engine.Backend.ITaskQueues.DeadLetterAsync"/>);
/// reading and replaying is backend-specific, hence this seam in the hosting library.
/// </summary>
internal interface IDeadLetterStore
{
    /// <summary>One page of dead letters, of one logical queue or of all.</summary>
    /// <param name="queue">Only this logical queue (e.g. <c>wf-default</c>); null for all.</param>
    /// <param name="pageSize">Items per page, 1–1000.</param>
    /// <param name="continuationToken">The previous page's token; null for the first page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="DeadLettersUnavailableException">The backend keeps no readable dead letters.</exception>
    Task<DeadLetterEntryPage> ListAsync(string? queue, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Puts the message back on its queue, unchanged and visible at once, and removes the dead letter. False if there is none.</summary>
    /// <exception cref="DeadLettersUnavailableException">The backend keeps no readable dead letters.</exception>
    Task<bool> ReplayAsync(string queue, string messageId, CancellationToken cancellationToken);

    /// <summary>Removes the dead letter without replaying it. False if there is none.</summary>
    /// <exception cref="DeadLettersUnavailableException">The backend keeps no readable dead letters.</exception>
    Task<bool> DeleteAsync(string queue, string messageId, CancellationToken cancellationToken);
}

/// <summary>A dead letter as the API shows it.</summary>
/// <param name="Id">Its ID in the API: <see cref="DeadLetterIds.Format"/> of the queue and the message ID.</param>
/// <param name="Queue">The logical queue it came from, e.g. <c>wf-default</c>.</param>
/// <param name="MessageId">Its message ID in that queue.</param>
/// <param name="WorkflowId">The workflow it was for, when the body is a task message; null for a body that is not.</param>
/// <param name="Reason">Why it was dead-lettered.</param>
/// <param name="DequeueCount">How many times it had been delivered.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered.</param>
/// <param name="Body">The message body, unchanged (it may not be JSON: that is often why it was dead-lettered).</param>
internal sealed record DeadLetterEntry(
    string Id, string Queue, string MessageId, string? WorkflowId, string Reason, long DequeueCount, DateTimeOffset DeadLetteredAt, string Body);

/// <summary>One page of dead letters.</summary>
/// <param name="Items">The dead letters, in the store's order.</param>
/// <param name="ContinuationToken">The next page's token; null on the last page.</param>
internal sealed record DeadLetterEntryPage(IReadOnlyList<DeadLetterEntry> Items, string? ContinuationToken);

/// <summary>The backend keeps no dead letters that the API can read (the in-memory backend keeps them inside the engine).</summary>
internal sealed class DeadLettersUnavailableException(string message) : Exception(message);
