using System.Text.Json;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Execution;

/// <summary>Recorded events applied to the in-memory state: awaiters completed, handlers started, the run's clock and IDs.</summary>
internal sealed partial class WorkflowExecution
{
    /// <summary>Signals the runs before this one (continue-as-new) applied: retries of them are not applied again.</summary>
    private void RememberPriorSignals(WorkflowStarted started)
    {
        foreach (var prior in started.PriorSignalRequestIds ?? [])
        {
            if (seenRequests.Add("s-" + prior))
            {
                signalRequestIds.Add(prior);
            }
        }
    }

    /// <summary>Applies one recorded event to the in-memory state (awaiters, clock, last event ID).</summary>
    private void Apply(HistoryEvent recorded)
    {
        LastEventId = Math.Max(LastEventId, recorded.EventId);
        if (recorded is WorkflowSignaled { RequestId: var requestId } && !seenRequests.Contains("s-" + requestId))
        {
            signalRequestIds.Add(requestId);
        }

        switch (recorded)
        {
            case WorkflowSignaled { RequestId: var signalId } when !seenRequests.Add("s-" + signalId):
            case WorkflowUpdateAccepted { UpdateId: var updateId } when !seenRequests.Add("u-" + updateId):
                break;
            case WorkflowStarted started:
                Started = started;
                RememberPriorSignals(started);
                Random = new Random(started.RandomSeed);
                currentAttributes = started.SearchAttributes ?? new Dictionary<string, JsonElement>();
                Schedule(() => runMethod = Call(() =>
                {
                    workflow = definition.Invokers.Create();
                    return Invoke(definition.Invokers.Run, "the run method", started.Input);
                }));
                break;
            case ActivityCompleted completed when !abandoned.Contains(completed.ScheduledEventId):
                Take(activities, completed.ScheduledEventId, recorded).Awaiter.SetResult(completed.Result);
                break;
            case ActivityFailed failed when !abandoned.Contains(failed.ScheduledEventId):
                var (name, awaiter) = Take(activities, failed.ScheduledEventId, recorded);
                awaiter.SetException(new ActivityFailureException(name, failed.Attempt, failed.Failure));
                break;
            case ChildWorkflowStarted started when !abandoned.Contains(started.ScheduledEventId):
                ChildStarted(started);
                break;
            case ChildWorkflowCompleted child when !abandoned.Contains(child.ScheduledEventId):
                Take(children, child.ScheduledEventId, recorded).Complete(child.Result, FirstRunIdOf(child.ScheduledEventId));
                break;
            case ChildWorkflowFailed child when !abandoned.Contains(child.ScheduledEventId):
                ChildFailed(Take(children, child.ScheduledEventId, recorded), child);
                break;
            case ExternalWorkflowRequestCompleted delivered when !abandoned.Contains(delivered.RequestedEventId):
                Take(externalRequests, delivered.RequestedEventId, recorded).Awaiter.SetResult();
                break;
            case ExternalWorkflowRequestFailed refused when !abandoned.Contains(refused.RequestedEventId):
                var (targetId, requestAwaiter) = Take(externalRequests, refused.RequestedEventId, recorded);
                requestAwaiter.SetException(new ExternalWorkflowFailureException(targetId, refused.Failure));
                break;
            case WorkflowCancelRequested cancel when !IsCancellationRequested:
                RequestCancellation(cancel.Reason);
                break;
            case WorkflowSignaled signaled when definition.Signals.TryGetValue(signaled.SignalName, out var handler):
                Schedule(() => handlers.Add(Call(() => Invoke(handler, $"signal '{signaled.SignalName}'", signaled.Input))));
                break;
            case WorkflowUpdateAccepted update when definition.Updates.ContainsKey(update.UpdateName):
                StartUpdate(update);
                break;
            case ActivityCanceled canceled:
                activities.Remove(canceled.ScheduledEventId);
                abandoned.Add(canceled.ScheduledEventId);
                break;
            case TimerCanceled canceled:
                timers.Remove(canceled.StartedEventId);
                abandoned.Add(canceled.StartedEventId);
                break;
            case TimerFired fired when abandoned.Contains(fired.StartedEventId):
                break;
            case TimerFired fired:
                if (!timers.Remove(fired.StartedEventId, out var timer))
                {
                    throw new InvalidOperationException($"Workflow '{Info.WorkflowId}': event {recorded.EventId} fires timer {fired.StartedEventId}, which is not pending.");
                }

                timer.SetResult();
                break;
            case WorkflowCompleted or WorkflowFailed or WorkflowTerminated or WorkflowCanceled or WorkflowContinuedAsNew:
                closed = true;
                break;
        }
    }
}
