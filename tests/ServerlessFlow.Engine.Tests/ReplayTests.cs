using System.Text.Json;
using ServerlessFlow.Engine.Execution;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Engine.Tests;

public sealed class ReplayTests
{
    private static readonly WorkflowRegistry Samples = WorkflowRegistry.Build(
        [typeof(HelloSequence), typeof(OrderWorkflow)], [typeof(HelloActivities), typeof(OrderActivities)]);

    [Theory]
    [InlineData("hello-sequence-3")]
    [InlineData("order-completed")]
    [InlineData("order-compensated-shipping")]
    public void Replay_GoldenHistory_ReplaysWithoutNonDeterminism(string name)
    {
        var history = Golden(name);

        var execution = Execution(history);
        execution.Replay(history);

        Assert.Equal(history[^1].EventId, execution.LastEventId);
    }

    [Fact]
    public void Replay_ActivityRenamedInHistory_ThrowsNamingRecordedEventAndNewCommand()
    {
        var history = Golden("hello-sequence-3").ToList();
        history[1] = ((ActivityScheduled)history[1]) with { ActivityName = "OldStep" };

        var error = Assert.Throws<NonDeterminismException>(() => Execution(history).Replay(history));

        Assert.Contains("history recorded ActivityScheduled 'OldStep' at event 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("the code now did ScheduleActivity 'Step'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Workflow.Patched", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_CodeDoesMoreThanHistoryRecorded_Throws()
    {
        var history = Golden("hello-sequence-3").Take(3).ToList(); // started, scheduled #0, completed #0 — but no command for step #1

        var error = Assert.Throws<NonDeterminismException>(() => Execution(history).Replay(history));

        Assert.Contains("history recorded nothing after event 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("ScheduleActivity 'Step'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_HistoryRecordsCommandCodeNoLongerIssues_Throws()
    {
        var history = Golden("hello-sequence-3").ToList();
        var extra = (ActivityScheduled)history[1] with { EventId = 3 };
        var shifted = history.Take(2).Append(extra).Concat(history.Skip(2).Select(e => e with { EventId = e.EventId + 1 })).ToList();

        var error = Assert.Throws<NonDeterminismException>(() => Execution(shifted).Replay(shifted));

        Assert.Contains("at event 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("did nothing more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_OnlyStartRecorded_LeavesStartForTheFirstTask()
    {
        var history = Golden("hello-sequence-3").Take(1).ToList();
        var execution = Execution(history);

        execution.Replay(history);
        var produced = execution.RunTask([], DateTimeOffset.UtcNow);

        Assert.False(execution.HasUnrunStart);
        var scheduled = Assert.IsType<ActivityScheduled>(Assert.Single(produced));
        Assert.Equal(2, scheduled.EventId);
    }

    [Fact]
    public void RunTask_AfterReplay_NumbersNewEventsAfterHistory()
    {
        var history = Golden("hello-sequence-3").Take(2).ToList();
        var execution = Execution(history);
        execution.Replay(history);

        var produced = execution.RunTask([new ActivityCompleted { ScheduledEventId = 2, Result = JsonSerializer.SerializeToElement(0), Attempt = 1 }], DateTimeOffset.UtcNow);

        Assert.Equal([3L, 4L], produced.Select(e => e.EventId));
        Assert.IsType<ActivityCompleted>(produced[0]);
        Assert.Equal("Step", Assert.IsType<ActivityScheduled>(produced[1]).ActivityName);
    }

    [Theory]
    [InlineData("patchable-before", typeof(PatchableAfter))]      // recorded before the patch: the patched code replays it on the old path
    [InlineData("patchable-after", typeof(PatchableAfter))]       // recorded with the marker
    [InlineData("patchable-after", typeof(PatchableDeprecated))]  // the deprecated patch still replays histories that have the marker
    public void Replay_GoldenHistoryOfEarlierCode_ReplaysWithPatchedCode(string name, Type code)
    {
        var history = Golden(name);
        var definition = WorkflowRegistry.Build([code], [typeof(FlakyActivities)]).GetWorkflow("Patchable");

        var execution = new WorkflowExecution(definition, Samples.SearchAttributes, "golden", "run", "default");
        execution.Replay(history);

        Assert.Equal(history[^1].EventId, execution.LastEventId);
    }

    [Fact]
    public void Replay_HistoryFromBeforePatchWithDeprecatedCode_ThrowsBecauseOldRunsMustBeGoneFirst()
    {
        var history = Golden("patchable-before");
        var definition = WorkflowRegistry.Build([typeof(PatchableDeprecated)], [typeof(FlakyActivities)]).GetWorkflow("Patchable");

        var error = Assert.Throws<NonDeterminismException>(() => new WorkflowExecution(definition, Samples.SearchAttributes, "golden", "run", "default").Replay(history));

        Assert.Contains("ActivityScheduled 'Echo' at event 2", error.Message, StringComparison.Ordinal);
    }

    private static WorkflowExecution Execution(IReadOnlyList<HistoryEvent> history)
    {
        var started = (WorkflowStarted)history[0];
        return new WorkflowExecution(Samples.GetWorkflow(started.WorkflowType), Samples.SearchAttributes, "golden", "run", started.TaskQueue);
    }

    private static List<HistoryEvent> Golden(string name) =>
        JsonSerializer.Deserialize<List<HistoryEvent>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name + ".json")), PayloadJson.Options)!;
}
