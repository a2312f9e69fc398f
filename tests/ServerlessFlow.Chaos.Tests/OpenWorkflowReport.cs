using System.Globalization;
using System.Text;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>
/// The evidence for a workflow left open after the storm: its instance row (pending work, outbox, parent, last task
/// failure) and its current run's history, so that a failing seed says where each workflow stopped.
/// </summary>
internal static class OpenWorkflowReport
{
    /// <summary>Workflows described at most.</summary>
    private const int MaxDescribed = 40;

    public static async Task<string> DescribeAsync(IWorkflowStore store, IReadOnlyList<InstanceRecord> instances)
    {
        var open = instances.Where(i => i.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew).OrderBy(i => i.WorkflowId, StringComparer.Ordinal).ToList();
        if (open.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Open workflows after the storm: {open.Count}{(open.Count > MaxDescribed ? $" (the first {MaxDescribed} described)" : "")}");
        foreach (var instance in open.Take(MaxDescribed))
        {
            var history = await store.ReadHistoryAsync(instance.WorkflowId, instance.RunId, 0, CancellationToken.None);
            var inbox = (await store.LoadAsync(instance.WorkflowId, null, instance.LastEventId, CancellationToken.None))?.Inbox ?? [];
            text.AppendLine(CultureInfo.InvariantCulture, $"  {instance.WorkflowId} run {instance.RunId}: {instance.Status}, created {instance.CreatedAt:HH:mm:ss.fff}, {instance.LastEventId} events");
            text.AppendLine(CultureInfo.InvariantCulture, $"    parent: {instance.Parent?.ToString() ?? "none"}; last task failure: {instance.LastTaskFailure ?? "none"}");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"    pending: activities [{string.Join(", ", instance.PendingActivities.Select(a => a.ScheduledEventId))}], " +
                $"children [{string.Join(", ", instance.PendingChildren.Select(c => $"{c.ScheduledEventId}→{c.ChildWorkflowId}"))}], " +
                $"timers [{string.Join(", ", instance.Timers.Select(t => $"{t.StartedEventId}@{t.FireAt:HH:mm:ss.fff}"))}]; activity check at {instance.ActivityCheckAt?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "none"}");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"    outbox pending: {instance.OutboxPending} [{string.Join(", ", instance.Outbox.Select(o => $"{o.Message.Kind}→{o.Message.Subject}"))}]; " +
                $"inbox [{string.Join(", ", inbox.Select(i => $"{i.Key}:{i.Event.Describe()}"))}]");
            text.AppendLine("    history: " + string.Join(", ", history.Select(e => $"{e.EventId} {e.Describe()} {e.Timestamp:HH:mm:ss.fff}")));
        }

        return text.ToString();
    }
}
