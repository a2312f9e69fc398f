using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Hosting.Configuration;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>
/// The storage names and settings the code uses, so that the infrastructure is checked against the
/// code rather than against a second copy of the same strings. Queue suffixes come from the
/// engine's <see cref="QueueNames"/>; the prefix joining and the table names follow the Azure
/// Storage backend's contract ("{prefix}-{queue}", "{prefix}workflows", "{prefix}deadletters", "{prefix}visibility",
/// "{prefix}schedules").
/// </summary>
internal static class EngineNames
{
    /// <summary>The storage prefix when none is configured.</summary>
    public const string DefaultPrefix = "sf";

    /// <summary>The connection name of the engine's storage and of the queue triggers.</summary>
    public const string Connection = HostingSettingNames.StorageConnection;

    /// <summary>The table of workflow instances, histories and inboxes.</summary>
    public static string WorkflowsTable(string prefix) => prefix + "workflows";

    /// <summary>The table of dead-lettered messages.</summary>
    public static string DeadLettersTable(string prefix) => prefix + "deadletters";

    /// <summary>The visibility index: workflows by start, close, type, status and search attribute.</summary>
    public static string VisibilityTable(string prefix) => prefix + "visibility";

    /// <summary>The table of schedules.</summary>
    public static string SchedulesTable(string prefix) => prefix + "schedules";

    /// <summary>Every table the engine uses, as the backend creates them.</summary>
    public static IEnumerable<string> Tables(string prefix) =>
        [WorkflowsTable(prefix), DeadLettersTable(prefix), VisibilityTable(prefix), SchedulesTable(prefix)];

    /// <summary>The physical queue of workflow tasks of <paramref name="taskQueue"/>.</summary>
    public static string WorkflowQueue(string prefix, string taskQueue) => $"{prefix}-{QueueNames.Workflow(taskQueue)}";

    /// <summary>The physical queue of activity tasks of <paramref name="taskQueue"/>.</summary>
    public static string ActivityQueue(string prefix, string taskQueue) => $"{prefix}-{QueueNames.Activity(taskQueue)}";

    /// <summary>App settings the hosting library and the queue triggers read.</summary>
    public static readonly IReadOnlyList<string> RequiredAppSettings =
    [
        AppSetting(HostingSettingNames.StoragePrefix),
        AppSetting(HostingSettingNames.TaskQueues),
        AppSetting(HostingSettingNames.WorkflowQueue),
        AppSetting(HostingSettingNames.ActivityQueue),
        AppSetting(HostingSettingNames.RetentionDays),
        $"{Connection}__tableServiceUri",
        $"{Connection}__queueServiceUri",
        $"{Connection}__blobServiceUri",
        $"{Connection}__credential",
        $"{Connection}__clientId",
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>The app setting of a configuration key: app settings and environment variables write ':' as "__".</summary>
    public static string AppSetting(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);
}
