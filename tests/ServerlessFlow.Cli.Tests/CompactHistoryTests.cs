using System.Text.Json;
using ServerlessFlow.Cli.Output;
using ServerlessFlow.History;

namespace ServerlessFlow.Cli.Tests;

/// <summary>The compact history view of child start reports, requests to other workflows and local activity markers.</summary>
public sealed class CompactHistoryTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_RequestsToOtherWorkflowsAndLocalActivities_PairedAndDescribed()
    {
        HistoryEvent[] events =
        [
            new ChildWorkflowScheduled { EventId = 1, Timestamp = At, ChildWorkflowId = "kid", WorkflowType = "Collector", TaskQueue = "default", ReportsStart = true },
            new ChildWorkflowStarted { EventId = 2, Timestamp = At, ScheduledEventId = 1, RunId = "r1" },
            new ExternalWorkflowSignalRequested { EventId = 3, Timestamp = At, TargetWorkflowId = "kid", SignalName = "Add" },
            new ExternalWorkflowCancelRequested { EventId = 4, Timestamp = At, TargetWorkflowId = "gone" },
            new ExternalWorkflowRequestCompleted { EventId = 5, Timestamp = At.AddSeconds(1), RequestedEventId = 3 },
            new ExternalWorkflowRequestFailed { EventId = 6, Timestamp = At.AddSeconds(2), RequestedEventId = 4, Failure = new FailureInfo { Type = "ExternalWorkflowNotFound", Message = "no such workflow" } },
            new LocalActivityMarkerRecorded { EventId = 7, Timestamp = At.AddSeconds(3), ActivityName = "Quote", Attempt = 2, Result = JsonSerializer.SerializeToElement(42) },
        ];
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(events, PayloadJson.Options));

        var rows = CompactHistory.Build(json.RootElement);

        Assert.Equal(["Child", "Signal out", "Cancel out", "LocalActivityMarkerRecorded"], rows.Select(r => r.What));
        Assert.Equal(("Pending", "run r1"), (rows[0].Outcome, rows[0].Detail));
        Assert.Equal(("Add → kid", "Delivered", TimeSpan.FromSeconds(1)), (rows[1].Name, rows[1].Outcome, rows[1].Duration));
        Assert.Equal("Failed", rows[2].Outcome);
        Assert.Contains("no such workflow", rows[2].Detail, StringComparison.Ordinal);
        Assert.Equal(("Quote", "attempt 2: 42"), (rows[3].Name, rows[3].Detail));
    }
}
