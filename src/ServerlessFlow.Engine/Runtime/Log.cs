using Microsoft.Extensions.Logging;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>Every log message of the engine. Event IDs: 1xx workflow tasks, 2xx activities, 3xx worker and sweeps.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Debug, "Workflow {WorkflowId}: committed events {FirstEventId}-{LastEventId}")]
    public static partial void Committed(ILogger logger, string workflowId, long firstEventId, long lastEventId);

    [LoggerMessage(101, LogLevel.Debug, "Workflow {WorkflowId}: lost a commit race; retrying from fresh state")]
    public static partial void CommitConflict(ILogger logger, string workflowId);

    [LoggerMessage(102, LogLevel.Error, "Workflow {WorkflowId}: workflow task failed and will be retried: {Reason}")]
    public static partial void TaskFailed(ILogger logger, string workflowId, string reason, Exception? exception);

    [LoggerMessage(103, LogLevel.Debug, "Workflow {WorkflowId}: message for a workflow that does not exist; dropped")]
    public static partial void UnknownWorkflow(ILogger logger, string workflowId);

    [LoggerMessage(104, LogLevel.Debug, "Workflow {WorkflowId}: cached execution is stale (cached event {CachedEventId}, stored {StoredEventId}); replaying")]
    public static partial void StaleCache(ILogger logger, string workflowId, long cachedEventId, long storedEventId);

    [LoggerMessage(105, LogLevel.Warning, "Workflow {WorkflowId}: history has {Events} events and {Bytes} bytes; it is terminated at {MaxEvents} events or {MaxBytes} bytes. Use continue-as-new")]
    public static partial void HistoryLarge(ILogger logger, string workflowId, long events, long bytes, int maxEvents, long maxBytes);

    [LoggerMessage(200, LogLevel.Debug, "Workflow {WorkflowId}: activity {ActivityName} (event {ScheduledEventId}) attempt {Attempt} completed")]
    public static partial void ActivityCompleted(ILogger logger, string workflowId, string activityName, long scheduledEventId, int attempt);

    [LoggerMessage(201, LogLevel.Warning, "Workflow {WorkflowId}: activity {ActivityName} (event {ScheduledEventId}) attempt {Attempt} failed: {Message}")]
    public static partial void ActivityAttemptFailed(ILogger logger, string workflowId, string activityName, long scheduledEventId, int attempt, string message);

    [LoggerMessage(202, LogLevel.Warning, "Workflow {WorkflowId}: writing a heartbeat of activity event {ScheduledEventId} failed; the attempt goes on and the next tick writes it")]
    public static partial void HeartbeatSaveFailed(ILogger logger, string workflowId, long scheduledEventId, Exception exception);

    [LoggerMessage(203, LogLevel.Debug, "Workflow {WorkflowId}: activity event {ScheduledEventId} runs on past the eager budget; its outcome goes through the inbox")]
    public static partial void EagerHandedOver(ILogger logger, string workflowId, long scheduledEventId);

    [LoggerMessage(204, LogLevel.Debug, "Workflow {WorkflowId}: recorded the outcomes of {Count} activities of a batch")]
    public static partial void ActivitiesCompleted(ILogger logger, string workflowId, int count);

    [LoggerMessage(205, LogLevel.Debug, "Workflow {WorkflowId}: activity event {ScheduledEventId} of a batch waited past its share of its timeout for a slot; handed back to its queue")]
    public static partial void BatchAttemptHandedBack(ILogger logger, string workflowId, long scheduledEventId);

    [LoggerMessage(206, LogLevel.Information, "Workflow {WorkflowId}: {Count} claimed activities of a batch were not run here (the worker is stopping, or their handling failed); handed back for the batch's next delivery")]
    public static partial void BatchAttemptsUnclaimed(ILogger logger, string workflowId, int count);

    [LoggerMessage(207, LogLevel.Warning, "Workflow {WorkflowId}: recording the outcomes of {Count} activities of a batch failed; the batch's message will be redelivered, and those attempts are taken over at their deadline")]
    public static partial void BatchOutcomesNotRecorded(ILogger logger, string workflowId, int count, Exception exception);

    [LoggerMessage(208, LogLevel.Information, "Workflow {WorkflowId}: activity event {ScheduledEventId} was committed to run here as the worker stopped; handed back to its queue unrun")]
    public static partial void EagerHandedBack(ILogger logger, string workflowId, long scheduledEventId);

    [LoggerMessage(300, LogLevel.Warning, "Message {MessageId} on queue {Queue} is not a task message; dead-lettering it")]
    public static partial void BadMessage(ILogger logger, string messageId, string queue);

    [LoggerMessage(301, LogLevel.Error, "Workflow {WorkflowId}: handling message {MessageId} on queue {Queue} failed; it will be redelivered")]
    public static partial void HandlerFailed(ILogger logger, string workflowId, string messageId, string queue, Exception exception);

    [LoggerMessage(302, LogLevel.Information, "Recovery sweep woke workflow {WorkflowId}")]
    public static partial void SweepWoke(ILogger logger, string workflowId);

    [LoggerMessage(303, LogLevel.Error, "Poller for queue {Queue} failed; backing off")]
    public static partial void PollFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(304, LogLevel.Warning, "The worker stopped with {Count} message handlers still running after {Bound}; their messages reappear when their leases run out")]
    public static partial void ShutdownAbandoned(ILogger logger, int count, TimeSpan bound);

    [LoggerMessage(305, LogLevel.Warning, "Workflow {WorkflowId}: deleting message {MessageId} on queue {Queue}, no longer needed, failed; it will be delivered and found to have nothing to do")]
    public static partial void WithdrawFailed(ILogger logger, string workflowId, string messageId, string queue, Exception exception);

    [LoggerMessage(306, LogLevel.Warning, "Workflow {WorkflowId}: recording that message {MessageId} on queue {Queue} was dead-lettered failed; the dead letter is still listed")]
    public static partial void DeadLetterNoticeFailed(ILogger logger, string workflowId, string messageId, string queue, Exception exception);

    [LoggerMessage(308, LogLevel.Warning, "Workflow {WorkflowId}: recording that message {MessageId} on queue {Queue} was dead-lettered lost the race for the instance row {Attempts} times, and was given up; the dead letter is still listed, but describe does not name it")]
    public static partial void DeadLetterNoticeGaveUp(ILogger logger, string workflowId, string messageId, string queue, int attempts);

    [LoggerMessage(307, LogLevel.Warning, "Renewing the lease of message {MessageId} on queue {Queue} failed; the message keeps the rest of its lease and the next renewal tries again")]
    public static partial void LeaseRenewalFailed(ILogger logger, string messageId, string queue, Exception exception);

    [LoggerMessage(604, LogLevel.Warning, "Visibility index write for workflow {WorkflowId} failed; the recovery sweep retries it")]
    public static partial void VisibilityWriteFailed(ILogger logger, string workflowId, Exception exception);

    [LoggerMessage(605, LogLevel.Error, "Housekeeping step {Step} failed; the next pass tries again")]
    public static partial void HousekeepingStepFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(601, LogLevel.Information, "Retention deleted {Count} workflows")]
    public static partial void RetentionPurged(ILogger logger, int count);

    [LoggerMessage(602, LogLevel.Information, "Schedule {ScheduleId} started workflow {WorkflowId}")]
    public static partial void ScheduleStarted(ILogger logger, string scheduleId, string workflowId);

    [LoggerMessage(603, LogLevel.Warning, "Schedule {ScheduleId} could not start workflow {WorkflowId}: {Reason}")]
    public static partial void ScheduleStartFailed(ILogger logger, string scheduleId, string workflowId, string reason);
}
