using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Visibility;

/// <summary>Conversions between instance rows, index entries and what the client returns.</summary>
internal static class VisibilityRecords
{
    /// <summary>The index entry that describes <paramref name="instance"/>.</summary>
    public static VisibilityRecord From(InstanceRecord instance, SearchAttributeRegistry attributes) => new()
    {
        WorkflowId = instance.WorkflowId,
        RunId = instance.RunId,
        WorkflowType = instance.WorkflowType,
        TaskQueue = instance.TaskQueue,
        Status = instance.Status,
        StartedAt = instance.CreatedAt,
        ClosedAt = instance.ClosedAt,
        HistoryLength = instance.LastEventId,
        Version = instance.Version,
        Suspension = instance.Status == WorkflowStatus.Running ? instance.Suspension : null,
        SearchAttributes = attributes.ToTyped(instance.SearchAttributes),
    };

    /// <summary>The summary a listing returns.</summary>
    public static WorkflowDescription Describe(VisibilityRecord record) => new()
    {
        Id = record.WorkflowId,
        RunId = record.RunId,
        Type = record.WorkflowType,
        Status = record.Status,
        TaskQueue = record.TaskQueue,
        CreatedAt = record.StartedAt,
        ClosedAt = record.ClosedAt,
        HistoryLength = record.HistoryLength,
        Suspension = record.Suspension,
        SearchAttributes = record.SearchAttributes.ToDictionary(a => a.Key, a => PayloadJson.ToElement(a.Value)!.Value, StringComparer.Ordinal),
    };
}
