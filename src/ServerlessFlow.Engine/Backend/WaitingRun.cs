namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// The run that waits on a task message, and what the message is to it: where a dead letter of the message is noted
/// (<c>DeadLetterNotice</c>), so that the workflow does not show Running with nothing wrong.
/// </summary>
/// <param name="WorkflowId">The waiting workflow.</param>
/// <param name="RunId">The waiting run; null for a wake-up of whatever run is current.</param>
/// <param name="FirstEventId">The first of the waiting run's scheduled events the message is about; null for a wake-up.</param>
/// <param name="LastEventId">The last of them (the first again for one event); null for a wake-up.</param>
/// <param name="About">What the message is, as the note names it (e.g. "the task of activity event 5 (attempt 2)").</param>
internal sealed record WaitingRun(string WorkflowId, string? RunId, long? FirstEventId, long? LastEventId, string About);
