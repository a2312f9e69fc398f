using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.Messaging;

namespace ServerlessFlow.Functions;

/// <summary>
/// The task queues: workflow tasks and activity tasks of the queues named by the app settings
/// ServerlessFlow__WorkflowQueue and ServerlessFlow__ActivityQueue. A binding expression reads
/// configuration keys, where "__" has become ':', hence %ServerlessFlow:WorkflowQueue%.
/// </summary>
/// <param name="handler">The hosting library's entry point for trigger-owned messages.</param>
public sealed class TaskQueueFunctions(TriggeredMessageHandler handler)
{
    /// <summary>Runs one workflow task.</summary>
    [Function("RunWorkflowTask")]
    public Task RunWorkflowTask(
        [QueueTrigger("%" + HostingSettingNames.WorkflowQueue + "%", Connection = HostingSettingNames.StorageConnection)] QueueMessage message,
        CancellationToken cancellationToken) =>
        handler.HandleWorkflowMessageAsync(message, cancellationToken);

    /// <summary>Runs one activity attempt.</summary>
    [Function("RunActivityTask")]
    public Task RunActivityTask(
        [QueueTrigger("%" + HostingSettingNames.ActivityQueue + "%", Connection = HostingSettingNames.StorageConnection)] QueueMessage message,
        CancellationToken cancellationToken) =>
        handler.HandleActivityMessageAsync(message, cancellationToken);
}
