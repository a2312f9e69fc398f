using Azure.Core;
using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// A dead-letter note says what the run waits on: it is written only for work still pending, a batch's note stays while any activity
/// of its range waits, and a note the race for the instance row keeps losing is given up with a warning, not silently.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class DeadLetterNoticeTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Record_DuplicateAboutAnActivityWhoseOutcomeIsRecorded_NotesNothing()
    {
        var store = TestBackend.Azure(azurite).Store;
        await store.InitializeAsync(Ct);
        var id = BackendTestData.NewWorkflowId("dead-duplicate");
        var started = (await store.CommitAsync(BackendTestData.StartCommit(id), Ct))!;
        // Activity 2 ran and its outcome is recorded (event 3); activity 4 is still pending.
        var now = DateTimeOffset.UtcNow;
        var scheduled = (await store.CommitAsync(InstanceTransition.Build(started, [Scheduled(2)], [], now), Ct))!;
        var step = InstanceTransition.Build(scheduled, [new ActivityCompleted { EventId = 3, Timestamp = now, ScheduledEventId = 2, Attempt = 1 }, Scheduled(4)], [], now);
        var instance = (await store.CommitAsync(step, Ct))!;
        var notice = new DeadLetterNotice(store, TimeProvider.System, new ListLogger<DeadLetterNotice>());

        await notice.RecordAsync(Received("m-2"), ActivityTask(instance, 2), "Delivered too often.", Ct);
        var afterDuplicate = (await store.ReadInstanceAsync(id, Ct))!;
        await notice.RecordAsync(Received("m-4"), ActivityTask(instance, 4), "Delivered too often.", Ct);
        var afterPending = (await store.ReadInstanceAsync(id, Ct))!;

        Assert.Empty(afterDuplicate.DeadLetters);
        Assert.Null(afterDuplicate.LastTaskFailure);
        Assert.Contains("m-4", Assert.Single(afterPending.DeadLetters).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BatchNoteWhileSomeActivitiesOfItsRangeArePending_KeepsItUntilTheLastIsSettled()
    {
        var now = DateTimeOffset.UtcNow;
        var batch = new DeadLetterNote("the batch of activity events 2 through 4 was dead-lettered", now, 2, 4);
        var instance = new InstanceRecord
        {
            WorkflowId = "batch", RunId = "run", WorkflowType = "T", TaskQueue = QueueNames.DefaultTaskQueue, Status = WorkflowStatus.Running, CreatedAt = now,
            LastEventId = 4, PendingActivities = [.. Enumerable.Range(2, 3).Select(e => new PendingActivity(e, "Charge", QueueNames.DefaultTaskQueue))],
            DeadLetters = [batch],
        };

        var firstSettled = InstanceTransition.Build(instance, [Completed(5, 2)], [], now).Instance;
        var allSettled = InstanceTransition.Build(firstSettled, [Completed(6, 3), Completed(7, 4)], [], now).Instance;

        Assert.Equal(batch, Assert.Single(firstSettled.DeadLetters));
        Assert.Empty(allSettled.DeadLetters);
    }

    [Fact]
    public async Task Record_EveryAttemptLosesTheRaceForTheInstanceRow_GivesUpWithAWarning()
    {
        var hook = new RequestHook();
        var store = TestBackend.Azure(azurite, hook).Store;
        await store.InitializeAsync(Ct);
        var id = BackendTestData.NewWorkflowId("dead-raced");
        var instance = (await store.CommitAsync(BackendTestData.StartCommit(id), Ct))!;
        var competing = 0;
        // Before every write of the note, another writer changes the instance row: the note's commit loses every race.
        void ArmCompetingWrite() => hook.Before(request => request.Method != RequestMethod.Get, async () =>
        {
            var current = (await store.ReadInstanceAsync(id, Ct))!;
            await store.RecordTaskFailureAsync(id, current.ETag!, $"competing write {++competing}", Ct);
            ArmCompetingWrite();
        });
        ArmCompetingWrite();
        var logger = new ListLogger<DeadLetterNotice>();

        await new DeadLetterNotice(store, TimeProvider.System, logger)
            .RecordAsync(Received("m-wake"), new WorkflowTaskMessage { WorkflowId = id, RunId = instance.RunId }, "Delivered too often.", Ct);

        Assert.Empty((await store.ReadInstanceAsync(id, Ct))!.DeadLetters);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(id, warning.Message, StringComparison.Ordinal);
        Assert.Contains("m-wake", warning.Message, StringComparison.Ordinal);
    }

    private static ActivityScheduled Scheduled(long eventId) => BackendTestData.Scheduled(BackendTestData.Json(1)) with { EventId = eventId };

    private static ActivityCompleted Completed(long eventId, long scheduledEventId) =>
        new() { EventId = eventId, Timestamp = DateTimeOffset.UtcNow, ScheduledEventId = scheduledEventId, Attempt = 1 };

    private static ReceivedMessage Received(string messageId) => new("activities", messageId, "receipt", "{}", 5);

    private static ActivityTaskMessage ActivityTask(InstanceRecord instance, long scheduledEventId) =>
        new() { WorkflowId = instance.WorkflowId, RunId = instance.RunId, ScheduledEventId = scheduledEventId, Attempt = 1 };

    /// <summary>Keeps what is logged.</summary>
    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
