using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Runtime;

/// <summary>
/// The one place that turns newly recorded events into the instance's next state: status, pending
/// activities and timers, the activity rows to create and delete, and the outbox of messages the
/// events justify. Workflow tasks and terminations both commit through it.
/// </summary>
internal static class InstanceTransition
{
    public static WorkflowCommit Build(InstanceRecord before, IReadOnlyList<HistoryEvent> newEvents, IReadOnlyList<string> consumedInbox, DateTimeOffset now)
    {
        var activities = before.PendingActivities.ToList();
        var timers = before.Timers.ToList();
        var children = before.PendingChildren.ToList();
        var outbox = new List<OutboundMessage>();
        var created = new List<ActivityTaskRecord>();
        var deleted = new List<long>();
        var status = before.Status;
        var searchAttributes = before.SearchAttributes;

        foreach (var recorded in newEvents)
        {
            switch (recorded)
            {
                case ActivityScheduled scheduled:
                    activities.Add(new PendingActivity(scheduled.EventId, scheduled.ActivityName, scheduled.TaskQueue));
                    created.Add(new ActivityTaskRecord
                    {
                        WorkflowId = before.WorkflowId, RunId = before.RunId, ScheduledEventId = scheduled.EventId,
                        ActivityName = scheduled.ActivityName, Input = scheduled.Input, TaskQueue = scheduled.TaskQueue,
                        WorkflowTaskQueue = before.TaskQueue, Options = scheduled.Options, ScheduledAt = now, TraceParent = before.TraceParent,
                    });
                    outbox.Add(new OutboundMessage(QueueNames.Activity(scheduled.TaskQueue), new ActivityTaskMessage
                    {
                        WorkflowId = before.WorkflowId, RunId = before.RunId, ScheduledEventId = scheduled.EventId, Attempt = 1,
                    }));
                    if (Activities.ActivityTimeouts.ScheduleDeadline(created[^1]) is { } scheduleDeadline)
                    {
                        // Schedule-level timeouts are checked on the workflow's queue: they must fire even if no worker serves the activity's queue.
                        outbox.Add(new OutboundMessage(QueueNames.Workflow(before.TaskQueue), new ActivityTimeoutMessage
                        {
                            WorkflowId = before.WorkflowId, RunId = before.RunId, ScheduledEventId = scheduled.EventId, Attempt = 1,
                        }, scheduleDeadline));
                    }

                    break;
                case WorkflowCancelRequested:
                    // Cancellation abandons pending work: deleting an activity's row is what a heartbeating activity sees as cancellation.
                    // Work scheduled earlier in this same commit (a first task runs its start before the events that came with it)
                    // has no row and no message yet: it is never created or sent.
                    deleted.AddRange(activities.Select(a => a.ScheduledEventId).Where(id => created.All(c => c.ScheduledEventId != id)));
                    created.Clear();
                    outbox.RemoveAll(o => o.Message is ActivityTaskMessage or ActivityTimeoutMessage or WorkflowTaskMessage { TimerAt: not null });
                    activities.Clear();
                    timers.Clear();
                    break;
                case ActivityCompleted completed:
                    CloseActivity(completed.ScheduledEventId);
                    break;
                case ActivityFailed failed:
                    CloseActivity(failed.ScheduledEventId);
                    break;
                case ActivityCanceled canceled when created.RemoveAll(c => c.ScheduledEventId == canceled.ScheduledEventId) > 0:
                    // Scheduled by this very commit: its row and messages are simply never written.
                    activities.RemoveAll(a => a.ScheduledEventId == canceled.ScheduledEventId);
                    outbox.RemoveAll(o => ActivityMessages.ScheduledEventIdOf(o.Message) == canceled.ScheduledEventId);
                    break;
                case ActivityCanceled canceled:
                    // Deleting the row is what a heartbeating attempt sees as cancellation; a late outcome finds no row and is dropped.
                    CloseActivity(canceled.ScheduledEventId);
                    break;
                case ChildWorkflowScheduled child:
                    children.Add(new PendingChild(child.EventId, child.ChildWorkflowId, child.ParentClosePolicy));
                    outbox.Add(new OutboundMessage(QueueNames.Workflow(before.TaskQueue), new StartChildMessage
                    {
                        WorkflowId = before.WorkflowId, RunId = before.RunId, ScheduledEventId = child.EventId,
                    }));
                    break;
                case ExternalWorkflowSignalRequested or ExternalWorkflowCancelRequested:
                    // Delivered after the commit even if this commit also closes the run: the request was made.
                    outbox.Add(ExternalRequestProcessor.Message(before, recorded.EventId));
                    break;
                case ChildWorkflowCompleted completed:
                    children.RemoveAll(c => c.ScheduledEventId == completed.ScheduledEventId);
                    break;
                case ChildWorkflowFailed failed:
                    children.RemoveAll(c => c.ScheduledEventId == failed.ScheduledEventId);
                    break;
                case TimerStarted started:
                    timers.Add(new PendingTimer(started.EventId, started.FireAt));
                    outbox.Add(new OutboundMessage(QueueNames.Workflow(before.TaskQueue), new WorkflowTaskMessage
                    {
                        WorkflowId = before.WorkflowId, RunId = before.RunId, TimerAt = started.FireAt,
                    }, started.FireAt));
                    break;
                case TimerFired fired:
                    timers.RemoveAll(t => t.StartedEventId == fired.StartedEventId);
                    break;
                case TimerCanceled canceled:
                    timers.RemoveAll(t => t.StartedEventId == canceled.StartedEventId);
                    outbox.RemoveAll(o => o.Message is WorkflowTaskMessage { TimerAt: { } at } && newEvents.OfType<TimerStarted>().Any(t => t.EventId == canceled.StartedEventId && t.FireAt == at));
                    break;
                case SearchAttributesUpserted upserted:
                    searchAttributes = Visibility.SearchAttributeRegistry.Merge(searchAttributes, upserted.Changes);
                    break;
                case WorkflowCompleted:
                    status = WorkflowStatus.Completed;
                    break;
                case WorkflowFailed:
                    status = WorkflowStatus.Failed;
                    break;
                case WorkflowTerminated:
                    status = WorkflowStatus.Terminated;
                    break;
                case WorkflowCanceled:
                    status = WorkflowStatus.Canceled;
                    break;
                case WorkflowContinuedAsNew:
                    // The next workflow task starts the new run (see WorkflowTaskProcessor); wake it.
                    status = WorkflowStatus.ContinuedAsNew;
                    outbox.Add(new OutboundMessage(QueueNames.Workflow(before.TaskQueue), new WorkflowTaskMessage { WorkflowId = before.WorkflowId }));
                    break;
            }
        }

        void CloseActivity(long scheduledEventId)
        {
            // An outcome of an activity abandoned earlier has no row left to delete (deleting it again would fail the commit).
            if (activities.RemoveAll(a => a.ScheduledEventId == scheduledEventId) > 0)
            {
                deleted.Add(scheduledEventId);
            }
        }

        var closed = status != WorkflowStatus.Running;
        if (closed && before.Status == WorkflowStatus.Running)
        {
            // A closed run abandons its pending work: its activity rows go, so late messages about them are dropped.
            deleted.AddRange(activities.Select(a => a.ScheduledEventId).Where(id => created.All(c => c.ScheduledEventId != id)));
            created.Clear();
            activities.Clear();
            timers.Clear();
            outbox.RemoveAll(o => o.Message is ActivityTaskMessage or StartChildMessage or ActivityTimeoutMessage or WorkflowTaskMessage { TimerAt: not null });

            // Children still open get the parent close policy; a child started by this very commit was never started.
            outbox.AddRange(children.Where(c => c.Policy != ParentClosePolicy.Abandon && newEvents.All(e => e.EventId != c.ScheduledEventId))
                .Select(c => new OutboundMessage(QueueNames.Workflow(before.TaskQueue), new ParentClosedMessage
                {
                    WorkflowId = c.ChildWorkflowId, ParentRunId = before.RunId, ScheduledEventId = c.ScheduledEventId, Policy = c.Policy,
                })));
            children.Clear();
            if (before.Parent is { } parent && status != WorkflowStatus.ContinuedAsNew)
            {
                // The closing event is this commit's last; the message names it and the parent, so the report does not depend on
                // which run holds the child's ID when it is handled.
                outbox.Add(new OutboundMessage(QueueNames.Workflow(parent.TaskQueue), new ChildClosedMessage
                {
                    WorkflowId = before.WorkflowId, RunId = before.RunId, ClosingEventId = newEvents[^1].EventId, Parent = parent,
                }));
            }

            if (before.ScheduledBy is { } schedule && status != WorkflowStatus.ContinuedAsNew)
            {
                // The schedule learns of the close atomically with it: a buffered action may start now.
                outbox.Add(new OutboundMessage(QueueNames.Workflow(schedule.TaskQueue), new ScheduleMessage { ScheduleId = schedule.ScheduleId }));
            }

            if (status == WorkflowStatus.ContinuedAsNew && outbox.Count == 0)
            {
                outbox.Add(new OutboundMessage(QueueNames.Workflow(before.TaskQueue), new WorkflowTaskMessage { WorkflowId = before.WorkflowId }));
            }
        }

        // An index write still pending from the previous commit (it failed) is carried by this one.
        var visibilityChanged = status != before.Status || !ReferenceEquals(searchAttributes, before.SearchAttributes)
            || (before.OutboxPending && before.VisibilityChanged);
        return new WorkflowCommit
        {
            Instance = before with
            {
                Status = status,
                Version = before.Version + 1,
                VisibilityChanged = visibilityChanged,
                SearchAttributes = searchAttributes,
                ClosedAt = closed ? before.ClosedAt ?? now : null,
                LastEventId = newEvents.Count > 0 ? newEvents[^1].EventId : before.LastEventId,
                HistorySizeBytes = before.HistorySizeBytes + newEvents.Sum(e => (long)System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(e, Serialization.EngineJson.HistoryEvent).Length),
                PendingActivities = activities,
                PendingChildren = children,
                Timers = timers,
                Outbox = outbox,
                OutboxPending = outbox.Count > 0 || visibilityChanged,
                LastTaskFailure = null,
                AwaitingFirstTask = false, // every commit after the start's follows a workflow task
                DeadLetters = closed || before.DeadLetters.Count == 0 ? [] : [.. before.DeadLetters.Where(n => n.KeptThrough(before.PendingActivities, activities, newEvents))],
            },
            NewEvents = newEvents,
            ConsumedInbox = consumedInbox,
            NewActivities = created,
            DeletedActivities = deleted.Distinct().ToList(),
        };
    }
}
