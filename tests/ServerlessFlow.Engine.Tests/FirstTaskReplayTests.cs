using System.Text.Json;
using ServerlessFlow.Engine.Execution;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Two workers and a first task that records nothing: one ran the start alone and keeps the execution cached (its
/// history still holds only the start), the other runs the start with input that arrived since. Whatever the second
/// commits, the first must replay onto its cached execution, and a fresh replay must reproduce.
/// </summary>
public sealed class FirstTaskReplayTests
{
    private static readonly DateTimeOffset StartedAt = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, HistoryEvent> Inputs => new()
    {
        { "cancel", new WorkflowCancelRequested { Reason = "parent closed" } },
        { "signal", new WorkflowSignaled { SignalName = "finish", Input = JsonSerializer.SerializeToElement("ann"), RequestId = "s-1" } },
        { "update", new WorkflowUpdateAccepted { UpdateId = "u-1", UpdateName = "finish-now", Input = JsonSerializer.SerializeToElement("bob") } },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void RunTask_InputBeforeFirstTaskOnAnotherWorker_CachedExecutionReplaysItsCommit(string kind, HistoryEvent input)
    {
        var started = new WorkflowStarted { EventId = 1, Timestamp = StartedAt, WorkflowType = nameof(AwaitsFinish), TaskQueue = "default", RandomSeed = 7 };
        var cached = New();
        cached.Replay([started]);
        Assert.Empty(cached.RunTask([], StartedAt.AddSeconds(1))); // the first task ran the code, which only waits: nothing to commit

        var other = New();
        other.Replay([started]); // to this worker the start looks unrun
        var committed = other.RunTask([input], StartedAt.AddSeconds(2));

        cached.Replay(committed);
        var fresh = New();
        fresh.Replay([started, .. committed]);
        Assert.Equal(committed[^1].EventId, cached.LastEventId);
        Assert.Equal(committed[^1].EventId, fresh.LastEventId);
        Assert.True(committed[0].StartsTask, $"the {kind} must open a task of its own after the start");
        Assert.Contains(committed, e => e is ActivityScheduled or WorkflowCompleted); // the code answered the input in the same task
    }

    private static WorkflowExecution New() => Replaying.New(typeof(AwaitsFinish), nameof(AwaitsFinish), "first-task", "run-1");
}
