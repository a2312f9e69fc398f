namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// Tells this process's pollers that a message was just sent to a queue, so a worker that enqueues
/// work for itself picks it up at once instead of waiting for its next (backed-off) poll.
/// </summary>
public sealed class LocalWakeups
{
    /// <summary>Raised with the logical queue name after a message visible now was sent to it.</summary>
    public event Action<string>? MessageSent;

    internal void Notify(string queue) => MessageSent?.Invoke(queue);
}
