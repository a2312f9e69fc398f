using ServerlessFlow.History;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>
/// What every run's history must satisfy, whatever the workflow: gap-free event IDs from 1, one start, at most one
/// close and nothing after it, and no event applied twice — one outcome per activity, timer and child, each
/// signal request ID, update ID and cancel request once — and every activity's executions bounded by its attempts.
/// </summary>
internal static class HistoryRules
{
    public static void Check(string workflowId, string runId, IReadOnlyList<HistoryEvent> history, bool closed, ExecutionJournals journals, Violations violations)
    {
        void Fail(string invariant, string detail) => violations.Add(workflowId, invariant, $"run {runId}: {detail}");

        if (history.Count == 0)
        {
            Fail("history exists", "no events");
            return;
        }

        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].EventId != i + 1)
            {
                Fail("history gap-free", $"event #{i + 1} has ID {history[i].EventId}");
                return;
            }
        }

        if (history[0] is not WorkflowStarted || history.OfType<WorkflowStarted>().Count() != 1)
        {
            Fail("one start, first", $"{history.OfType<WorkflowStarted>().Count()} WorkflowStarted events; event 1 is {history[0].Describe()}");
        }

        var closes = history.Where(IsClose).ToList();
        if (closes.Count > 1 || (closes.Count == 1 && !ReferenceEquals(closes[0], history[^1])) || (closed && closes.Count == 0))
        {
            Fail("one close, last", $"{closes.Count} closing events ({string.Join(", ", closes.Select(e => $"{e.Describe()}@{e.EventId}"))}) in {history.Count} events; run closed: {closed}");
        }

        var byId = history.ToDictionary(e => e.EventId);
        OnceEach(history.OfType<ActivityCompleted>().Select(e => e.ScheduledEventId).Concat(history.OfType<ActivityFailed>().Select(e => e.ScheduledEventId)),
            id => byId.GetValueOrDefault(id) is ActivityScheduled, "one outcome per activity", Fail);
        OnceEach(history.OfType<TimerFired>().Select(e => e.StartedEventId).Concat(history.OfType<TimerCanceled>().Select(e => e.StartedEventId)),
            id => byId.GetValueOrDefault(id) is TimerStarted, "one outcome per timer", Fail);
        OnceEach(history.OfType<ChildWorkflowCompleted>().Select(e => e.ScheduledEventId).Concat(history.OfType<ChildWorkflowFailed>().Select(e => e.ScheduledEventId)),
            id => byId.GetValueOrDefault(id) is ChildWorkflowScheduled, "one outcome per child", Fail);
        OnceEach(history.OfType<WorkflowSignaled>().Select(e => e.RequestId), _ => true, "each signal request applied once", Fail);
        var accepted = history.OfType<WorkflowUpdateAccepted>().Select(e => e.UpdateId).ToHashSet(StringComparer.Ordinal);
        OnceEach(history.OfType<WorkflowUpdateAccepted>().Select(e => e.UpdateId), _ => true, "each update accepted once", Fail);
        OnceEach(history.OfType<WorkflowUpdateCompleted>().Select(e => e.UpdateId), accepted.Contains, "each update applied once", Fail);
        if (history.OfType<WorkflowCancelRequested>().Count() > 1)
        {
            Fail("one cancel request", $"{history.OfType<WorkflowCancelRequested>().Count()} WorkflowCancelRequested events");
        }

        if (history[^1] is WorkflowCompleted)
        {
            var resolved = history.OfType<ActivityCompleted>().Select(e => e.ScheduledEventId).ToHashSet();
            foreach (var scheduled in history.OfType<ActivityScheduled>().Where(s => !resolved.Contains(s.EventId)))
            {
                Fail("a completed run resolved its activities", $"activity '{scheduled.ActivityName}' scheduled at event {scheduled.EventId} has no completion");
            }
        }

        CheckExecutions(workflowId, runId, history, journals, Fail);
    }

    /// <summary>Each completed activity ran at most (its recorded attempts + its executions in flight at a kill) times, and its recorded attempt did run.</summary>
    private static void CheckExecutions(string workflowId, string runId, IReadOnlyList<HistoryEvent> history, ExecutionJournals journals, Action<string, string> fail)
    {
        foreach (var completed in history.OfType<ActivityCompleted>())
        {
            var executions = journals.Of(workflowId, runId, completed.ScheduledEventId);
            var inFlight = executions.Count(e => e.InFlightAtKill);
            var detail = $"activity at event {completed.ScheduledEventId} completed with attempt {completed.Attempt}; executions (worker:attempt): " +
                string.Join(", ", executions.Select(e => $"{e.Worker}:{e.Attempt}{(e.InFlightAtKill ? "(killed)" : "")}"));
            if (executions.Count > completed.Attempt + inFlight)
            {
                fail("executions ≤ attempts + in flight at a kill", detail);
            }

            if (!executions.Any(e => e.Attempt == completed.Attempt))
            {
                fail("the recorded attempt ran", $"{detail}; every execution journaled for the workflow: [{journals.DescribeAll(workflowId)}]");
            }
        }

        var scheduled = history.OfType<ActivityScheduled>().Select(e => e.EventId).ToHashSet();
        foreach (var (_, _, scheduledEventId) in journals.Activities.Where(a => a.WorkflowId == workflowId && a.RunId == runId && !scheduled.Contains(a.ScheduledEventId)))
        {
            fail("every execution was scheduled", $"an activity ran for event {scheduledEventId}, which is no ActivityScheduled in history");
        }
    }

    private static void OnceEach<T>(IEnumerable<T> keys, Func<T, bool> refersToSomething, string invariant, Action<string, string> fail)
    {
        foreach (var group in keys.GroupBy(k => k))
        {
            if (group.Count() > 1)
            {
                fail(invariant, $"{group.Key} appears {group.Count()} times");
            }

            if (!refersToSomething(group.Key))
            {
                fail(invariant, $"{group.Key} refers to no matching earlier event");
            }
        }
    }

    public static bool IsClose(HistoryEvent e) => e is WorkflowCompleted or WorkflowFailed or WorkflowTerminated or WorkflowCanceled or WorkflowContinuedAsNew;
}
