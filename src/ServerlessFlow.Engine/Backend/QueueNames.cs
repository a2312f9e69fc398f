namespace ServerlessFlow.Engine.Backend;

/// <summary>Logical queue names: one workflow queue and one activity queue per task queue.</summary>
public static class QueueNames
{
    /// <summary>The task queue used when none is given.</summary>
    public const string DefaultTaskQueue = "default";

    /// <summary>Longest task queue name: storage queue names are at most 63 characters, and backends add a prefix.</summary>
    public const int MaxTaskQueueLength = 32;

    /// <summary>The queue that carries workflow tasks of <paramref name="taskQueue"/>.</summary>
    public static string Workflow(string taskQueue) => "wf-" + taskQueue;

    /// <summary>The queue that carries activity tasks of <paramref name="taskQueue"/>.</summary>
    public static string Activity(string taskQueue) => "act-" + taskQueue;

    /// <summary>Throws unless <paramref name="taskQueue"/> can name a storage queue: lowercase letters, digits and single hyphens.</summary>
    public static string Validate(string? taskQueue)
    {
        var name = taskQueue ?? DefaultTaskQueue;
        var valid = name.Length is > 0 and <= MaxTaskQueueLength
            && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            && name[0] != '-' && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal);
        return valid
            ? name
            : throw new InvalidWorkflowRequestException(
                $"Task queue '{name}' is invalid: use 1–{MaxTaskQueueLength} lowercase letters, digits and single hyphens, not starting or ending with a hyphen.");
    }
}
