using Microsoft.Extensions.Logging;

namespace ServerlessFlow.Hosting;

/// <summary>Every log message of the hosting library. Event IDs 4000–4099.</summary>
internal static partial class Log
{
    /// <summary>The event ID of <see cref="RequestFailed"/>, quoted in the 500 problem so an operator can find the entry.</summary>
    public const int RequestFailedEventId = 4001;

    [LoggerMessage(EventId = RequestFailedEventId, Level = LogLevel.Error, Message = "HTTP endpoint {Endpoint} failed unexpectedly")]
    public static partial void RequestFailed(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "HTTP endpoint {Endpoint} rejected the request: {ExceptionType}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string endpoint, string exceptionType, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "HTTP endpoint {Endpoint} was canceled before it finished")]
    public static partial void RequestCanceled(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Task message {MessageId} on queue {Queue} for workflow {WorkflowId} is retried in {Delay}")]
    public static partial void MessageRetried(ILogger logger, string messageId, string queue, string workflowId, TimeSpan delay);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "Task message {MessageId} on queue {Queue} for workflow {WorkflowId} is dead-lettered: {Reason}")]
    public static partial void MessageDeadLettered(ILogger logger, string messageId, string queue, string workflowId, string reason);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Housekeeping woke {Count} stalled workflows")]
    public static partial void HousekeepingWoke(ILogger logger, int count);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information, Message = "Worker started for task queues {TaskQueues}")]
    public static partial void WorkerStarted(ILogger logger, string taskQueues);

    [LoggerMessage(EventId = 4032, Level = LogLevel.Error, Message = "Could not create the engine's tables and queues at start-up; requests that need them fail until they exist")]
    public static partial void StorageInitializationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Critical, Message = "Worker stopped unexpectedly; no tasks run in this process until it restarts")]
    public static partial void WorkerCrashed(ILogger logger, Exception exception);
}
