using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine;

/// <summary>
/// Handles one task-queue message of any kind (workflow task or activity task). Hosts call it: the
/// dev server's poller and the Function App's queue triggers. It never deletes the message itself;
/// the host applies the returned <see cref="TaskOutcome"/>.
/// </summary>
public interface ITaskHandler
{
    /// <summary>Handles the message. Throws only for unexpected faults; the host then retries the message later.</summary>
    Task<TaskOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken);
}
