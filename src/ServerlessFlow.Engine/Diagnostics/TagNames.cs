namespace ServerlessFlow.Engine.Diagnostics;

/// <summary>The attribute names of the library's spans and metrics, and the logger scope's keys.</summary>
public static class TagNames
{
    /// <summary>The workflow ID.</summary>
    public const string WorkflowId = "serverlessflow.workflow.id";

    /// <summary>The run ID.</summary>
    public const string RunId = "serverlessflow.run.id";

    /// <summary>The workflow type.</summary>
    public const string WorkflowType = "serverlessflow.workflow.type";

    /// <summary>A closed run's status word.</summary>
    public const string WorkflowStatus = "serverlessflow.workflow.status";

    /// <summary>The activity name.</summary>
    public const string ActivityName = "serverlessflow.activity.name";

    /// <summary>The activity's <c>ActivityScheduled</c> event ID.</summary>
    public const string ScheduledEventId = "serverlessflow.activity.scheduled_event_id";

    /// <summary>The attempt number, from 1.</summary>
    public const string Attempt = "serverlessflow.activity.attempt";

    /// <summary>How a task or attempt ended: "completed", "failed", "conflict", …</summary>
    public const string Outcome = "serverlessflow.outcome";

    /// <summary>A signal, query or update name.</summary>
    public const string MessageName = "serverlessflow.message.name";

    /// <summary>A storage request's kind, "{METHOD} {table or queue}".</summary>
    public const string StorageKind = "serverlessflow.storage.kind";

    /// <summary>A queue name.</summary>
    public const string Queue = "serverlessflow.queue";

    /// <summary>The kind of a task message (<see cref="Backend.TaskKind"/>): Workflow, Activity, ….</summary>
    public const string TaskKind = "serverlessflow.task.kind";

    /// <summary>"hit" or "miss".</summary>
    public const string CacheResult = "serverlessflow.cache.result";
}
