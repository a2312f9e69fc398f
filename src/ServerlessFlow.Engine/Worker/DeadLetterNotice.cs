using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Worker;

/// <summary>
/// Makes a dead-lettered message visible on the workflow it leaves waiting. A message that is dead-lettered is not sent again by
/// anything: an activity task whose row is still scheduled, a wake-up, a child's start or its report to the parent, a request to
/// another workflow. The workflow would show Running with nothing wrong, so its instance row records the dead letter as its
/// <see cref="InstanceRecord.LastTaskFailure"/> — what was dead-lettered, why, and the way out (requeue it from the dead letters once
/// the cause is fixed) — and keeps it in <see cref="InstanceRecord.DeadLetters"/> until the work it is about is settled (describe's
/// <c>deadLetters</c>), however many unrelated tasks commit meanwhile. The dead letter itself stays listed until it is requeued.
/// Only work the run still waits on is noted: a dead-lettered duplicate about work history already records (an activity's outcome,
/// a child's, a request's) would otherwise show a false "waits on" until the run closes.
/// </summary>
internal sealed class DeadLetterNotice(IWorkflowStore store, TimeProvider time, ILogger<DeadLetterNotice> logger)
{
    /// <summary>Records the note on the waiting workflow's open run; never throws (the dead-lettering must go on).</summary>
    public async Task RecordAsync(ReceivedMessage message, TaskMessage task, string reason, CancellationToken cancellationToken)
    {
        if (task.WaitedOnBy is not var (workflowId, runId, first, last, about))
        {
            return;
        }

        var text = Describe(message, about, reason);
        try
        {
            // A fenced commit with no events, retried on a lost race: the note is kept apart from lastTaskFailure, which the next
            // commit of any task clears, and goes only when the work it is about is settled (DeadLetterNote).
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                if (await store.ReadInstanceAsync(workflowId, cancellationToken) is not { Status: WorkflowStatus.Running } instance || (runId is not null && instance.RunId != runId))
                {
                    return;
                }

                var note = new DeadLetterNote(text, time.GetUtcNow(), first, last);
                if (!await StillWaitedOnAsync(instance, note, cancellationToken))
                {
                    return;
                }

                var commit = new WorkflowCommit
                {
                    Instance = instance with
                    {
                        Version = instance.Version + 1,
                        LastTaskFailure = text,
                        DeadLetters = [.. instance.DeadLetters.TakeLast(DeadLetterNote.MaxPerRun - 1), note],
                    },
                };
                if (await store.CommitAsync(commit, cancellationToken) is not null)
                {
                    return;
                }
            }

            Log.DeadLetterNoticeGaveUp(logger, workflowId, message.MessageId, message.Queue, MaxAttempts);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.DeadLetterNoticeFailed(logger, workflowId, message.MessageId, message.Queue, e);
        }
    }

    /// <summary>Attempts at the note's commit when other writers keep winning the race for the instance row.</summary>
    private const int MaxAttempts = 5;

    /// <summary>
    /// True when <paramref name="instance"/>'s run still waits on the work <paramref name="note"/> is about: always for a wake-up; for
    /// activities while one of the range is pending (the instance lists them, no read); for a child's start or outcome, or a request to
    /// another workflow, from the event that scheduled it until history records an event that settles it (one read of the history
    /// from the note's first event).
    /// </summary>
    private async Task<bool> StillWaitedOnAsync(InstanceRecord instance, DeadLetterNote note, CancellationToken cancellationToken)
    {
        if (note.FirstEventId is not { } first || instance.PendingActivities.Any(a => note.Covers(a.ScheduledEventId)))
        {
            return true;
        }

        var history = await store.ReadHistoryAsync(instance.WorkflowId, instance.RunId, first - 1, cancellationToken);
        return history.Any(e => note.Covers(e.EventId) && e is ChildWorkflowScheduled or ExternalWorkflowSignalRequested or ExternalWorkflowCancelRequested)
            && !history.Any(note.SettledBy);
    }

    private static string Describe(ReceivedMessage message, string about, string reason) =>
        $"A message this workflow waits on, {about}, was dead-lettered and will not be sent again: {reason} " +
        $"Fix the cause, then requeue it from the dead letters (queue '{message.Queue}', message '{message.MessageId}'); the workflow goes on from there.";
}
