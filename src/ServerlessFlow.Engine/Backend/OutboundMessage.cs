namespace ServerlessFlow.Engine.Backend;

/// <summary>A queue message recorded by a commit and sent after it.</summary>
/// <param name="Queue">Logical queue name from <see cref="QueueNames"/>; the backend maps it to a storage queue.</param>
/// <param name="Message">The message.</param>
/// <param name="VisibleAt">When the message should become visible (timers); null for now.</param>
public sealed record OutboundMessage(string Queue, TaskMessage Message, DateTimeOffset? VisibleAt = null);
