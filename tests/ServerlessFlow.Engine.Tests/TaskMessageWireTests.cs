using System.Text.Json;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// The task messages' wire form is a contract with every message in flight and every outbox stored in an instance row: the golden
/// strings below are what the version before the typed message records wrote (one record for every kind, captured from its
/// <c>ToJson</c>), and each must parse into its kind's record and be written back byte for byte.
/// </summary>
public sealed class TaskMessageWireTests
{
    /// <summary>Every kind, as the earlier version wrote it (nulls, property order and escaping included).</summary>
    public static TheoryData<Type, string> Golden => new()
    {
        { typeof(WorkflowTaskMessage), """{"k":1,"w":"order-1","r":null,"e":null,"te":null,"a":null,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(WorkflowTaskMessage), """{"k":1,"w":"order-1","r":"run-1","e":null,"te":null,"a":null,"t":"2026-12-07T08:30:00.1234567+00:00","p":null,"pl":null,"f":null,"sd":null,"v":"2026-12-07T08:30:05+00:00"}""" },
        { typeof(WorkflowTaskMessage), """{"k":1,"w":"ümlaut/ü+1","r":"run-1","e":null,"te":null,"a":null,"t":null,"p":null,"pl":null,"f":3,"sd":4,"v":null}""" },
        { typeof(ActivityTaskMessage), """{"k":2,"w":"order-1","r":"run-1","e":5,"te":null,"a":1,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ActivityTaskMessage), """{"k":2,"w":"order-1","r":"run-1","e":5,"te":29,"a":1,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":"2026-12-07T08:30:05+00:00"}""" },
        { typeof(StartChildMessage), """{"k":3,"w":"parent","r":"run-p","e":7,"te":null,"a":null,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ChildClosedMessage), """{"k":4,"w":"child","r":"run-c","e":12,"te":null,"a":null,"t":null,"p":null,"pl":{"workflowId":"parent","runId":"run-p","scheduledEventId":7,"taskQueue":"default"},"f":null,"sd":null,"v":null}""" },
        { typeof(ChildClosedMessage), """{"k":4,"w":"child","r":"run-c","e":null,"te":null,"a":null,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ParentClosedMessage), """{"k":5,"w":"child","r":"run-p","e":7,"te":null,"a":null,"t":null,"p":0,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ParentClosedMessage), """{"k":5,"w":"child","r":"run-p","e":7,"te":null,"a":3,"t":null,"p":1,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ActivityTimeoutMessage), """{"k":6,"w":"order-1","r":"run-1","e":5,"te":null,"a":2,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ActivityTimeoutMessage), """{"k":6,"w":"order-1","r":"run-1","e":5,"te":29,"a":null,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ScheduleMessage), """{"k":7,"w":"nightly","r":null,"e":null,"te":null,"a":null,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ScheduleMessage), """{"k":7,"w":"nightly","r":null,"e":null,"te":null,"a":null,"t":"2026-12-07T08:30:00.1234567+00:00","p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(RetentionMessage), """{"k":8,"w":"retention","r":null,"e":null,"te":null,"a":null,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ActivityCheckMessage), """{"k":9,"w":"order-1","r":"run-1","e":null,"te":null,"a":null,"t":"2026-12-07T08:30:00.1234567+00:00","p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
        { typeof(ExternalRequestMessage), """{"k":10,"w":"sender","r":"run-s","e":9,"te":null,"a":null,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null}""" },
    };

    /// <summary>Outbox entries as the earlier version stored them in an instance row (serialized with the payload settings).</summary>
    public static TheoryData<string> GoldenOutbox => new()
    {
        """{"queue":"act-default","message":{"k":2,"w":"order-1","r":"run-1","e":5,"te":null,"a":1,"t":null,"p":null,"pl":null,"f":null,"sd":null,"v":null},"visibleAt":null,"throughScheduledEventId":60}""",
        """{"queue":"wf-default","message":{"k":1,"w":"order-1","r":"run-1","e":null,"te":null,"a":null,"t":"2026-12-07T08:30:00.1234567+00:00","p":null,"pl":null,"f":null,"sd":null,"v":"2026-12-07T08:30:05+00:00"},"visibleAt":"2026-12-07T08:30:00.1234567+00:00","throughScheduledEventId":null}""",
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void TryParse_WireFormOfTheEarlierVersion_ParsesToItsKindAndWritesBackTheSameBytes(Type kind, string golden)
    {
        var parsed = TaskMessage.TryParse(golden);

        Assert.IsType(kind, parsed);
        Assert.Equal(golden, parsed.ToJson());
    }

    [Fact]
    public void TryParse_GoldenMessages_CarryTheirFieldsTyped()
    {
        var batch = Assert.IsType<ActivityTaskMessage>(Parse(4));
        Assert.Equal(("order-1", "run-1", 5L, (long?)29L, 1, true), (batch.WorkflowId, batch.RunId, batch.ScheduledEventId, batch.ThroughScheduledEventId, batch.Attempt, batch.IsBatch));
        Assert.Equal(DateTimeOffset.Parse("2026-12-07T08:30:05+00:00", System.Globalization.CultureInfo.InvariantCulture), batch.DueAt);

        var timer = Assert.IsType<WorkflowTaskMessage>(Parse(1));
        Assert.Equal(("order-1", "run-1"), (timer.WorkflowId, timer.RunId));
        Assert.NotNull(timer.TimerAt);
        var counted = Assert.IsType<WorkflowTaskMessage>(Parse(2));
        Assert.Equal(("ümlaut/ü+1", (int?)3, (long?)4), (counted.WorkflowId, counted.Failures, counted.SettledDeliveries));

        var closed = Assert.IsType<ChildClosedMessage>(Parse(6));
        Assert.Equal((12L, new ParentLink("parent", "run-p", 7, "default")), (closed.ClosingEventId!.Value, closed.Parent!));
        var olderClosed = Assert.IsType<ChildClosedMessage>(Parse(7));
        Assert.Equal(("run-c", (long?)null, (ParentLink?)null), (olderClosed.RunId, olderClosed.ClosingEventId, olderClosed.Parent));

        var policy = Assert.IsType<ParentClosedMessage>(Parse(9));
        Assert.Equal(("child", "run-p", 7L, ParentClosePolicy.RequestCancel, (int?)3), (policy.WorkflowId, policy.ParentRunId, policy.ScheduledEventId, policy.Policy, policy.Attempt));

        var batchCheck = Assert.IsType<ActivityTimeoutMessage>(Parse(11));
        Assert.Equal(((int?)null, true), (batchCheck.Attempt, batchCheck.IsBatch));
        Assert.Equal("nightly", Assert.IsType<ScheduleMessage>(Parse(13)).ScheduleId);
        Assert.Equal("retention", Assert.IsType<RetentionMessage>(Parse(14)).Subject);
        Assert.Equal(9L, Assert.IsType<ExternalRequestMessage>(Parse(16)).RequestEventId);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"w":"x"}""")]
    [InlineData("""{"k":1}""")]
    [InlineData("""{"k":1,"w":""}""")]
    [InlineData("""{"k":99,"w":"x"}""")]
    [InlineData("""{"k":2,"w":"x","e":1,"a":1}""")]
    [InlineData("""{"k":2,"w":"x","r":"r","a":1}""")]
    [InlineData("""{"k":2,"w":"x","r":"r","e":1}""")]
    [InlineData("""{"k":3,"w":"x","e":1}""")]
    [InlineData("""{"k":4,"w":"x"}""")]
    [InlineData("""{"k":5,"w":"x","r":"r","e":1}""")]
    [InlineData("""{"k":6,"w":"x","r":"r"}""")]
    [InlineData("""{"k":9,"w":"x","r":"r"}""")]
    [InlineData("""{"k":10,"w":"x","r":"r"}""")]
    public void TryParse_NotATaskMessageOrAFieldItsKindNeedsMissing_Null(string body) => Assert.Null(TaskMessage.TryParse(body));

    [Fact]
    public void TryParse_MessageWithoutTheFieldsLaterVersionsAdded_Parses()
    {
        // The oldest forms: no queue stamp (v), no failure or delivery counts (f, sd), and properties simply absent.
        var wake = Assert.IsType<WorkflowTaskMessage>(TaskMessage.TryParse("""{"k":1,"w":"order-1"}"""));
        Assert.Equal(new WorkflowTaskMessage { WorkflowId = "order-1" }, wake);
        Assert.IsType<RetentionMessage>(TaskMessage.TryParse("""{"k":8,"w":"retention"}"""));
    }

    [Theory]
    [MemberData(nameof(GoldenOutbox))]
    public void Deserialize_OutboxEntryStoredByTheEarlierVersion_ReadsAndWritesBackTheSameBytes(string golden)
    {
        var entry = JsonSerializer.Deserialize<OutboundMessage>(golden, PayloadJson.Options);

        Assert.NotNull(entry);
        Assert.Equal(golden, JsonSerializer.Serialize(entry, PayloadJson.Options));
    }

    [Fact]
    public void Compact_ConsecutiveMessagesOfAnyKindWithAnEventId_FoldIntoRangesThatExpandBack()
    {
        var queue = QueueNames.Workflow("default");
        var activities = Enumerable.Range(10, 60).Select(id => new OutboundMessage(
            QueueNames.Activity("default"), new ActivityTaskMessage { WorkflowId = "w", RunId = "r", ScheduledEventId = id, Attempt = 1 }));
        var children = Enumerable.Range(70, 3).Select(id => new OutboundMessage(queue, new StartChildMessage { WorkflowId = "w", RunId = "r", ScheduledEventId = id }));
        var wake = new OutboundMessage(queue, new WorkflowTaskMessage { WorkflowId = "w", RunId = "r" });
        var outbox = activities.Concat(children).Append(wake).ToList();

        var compacted = OutboundMessage.Compact(outbox);

        Assert.Equal([69L, 72L, null], compacted.Select(o => o.ThroughScheduledEventId));
        Assert.Equal(outbox, compacted.SelectMany(o => o.Expand()));
        var sent = compacted[0].ToSend().Select(o => Assert.IsType<ActivityTaskMessage>(o.Message)).ToList();
        Assert.Equal([(10L, (long?)34L), (35L, 59L), (60L, 69L)], sent.Select(m => (m.ScheduledEventId, m.ThroughScheduledEventId)));
    }

    private static TaskMessage Parse(int row)
    {
        var golden = (string)Golden.ElementAt(row)[1];
        return TaskMessage.TryParse(golden) ?? throw new Xunit.Sdk.XunitException($"Golden row {row} did not parse: {golden}");
    }
}
