using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Execution;

/// <summary>Replay: recorded history applied again, with the code's commands matched against the events that recorded them.</summary>
internal sealed partial class WorkflowExecution
{
    /// <summary>Replays committed history. Throws <see cref="NonDeterminismException"/> when the code disagrees with it.</summary>
    public void Replay(IReadOnlyList<HistoryEvent> events)
    {
        using var executing = scheduler.Enter();
        if (LastEventId == 0 && events is [WorkflowStarted onlyStart])
        {
            unrunStart = onlyStart;
            LastEventId = onlyStart.EventId;
            RememberPriorSignals(onlyStart); // signals may arrive before the start runs, and must be told apart from retries then too
            return;
        }

        IsReplaying = true;
        recordedPatches.UnionWith(events.OfType<MarkerRecorded>().Select(m => m.PatchId));
        try
        {
            var i = 0;
            while (i < events.Count)
            {
                ExpectNext(events[i]);
                if (events[i].IsCommand)
                {
                    MatchCommand(events[i++]);
                    continue;
                }

                DropUnrecordedDeprecationMarkers(null);
                if (pending.TryPeek(out var extra))
                {
                    throw NonDeterminism(events[i], $"did {extra.Describe()} before it");
                }

                var end = i + 1;
                while (end < events.Count && !events[end].IsCommand && !events[end].StartsTask)
                {
                    end++;
                }

                Deliver(events.Skip(i).Take(end - i));
                i = end;
            }

            DropUnrecordedDeprecationMarkers(null);
            if (pending.TryPeek(out var more))
            {
                throw new NonDeterminismException(
                    $"Workflow '{Info.WorkflowId}' ({Info.WorkflowType}): history recorded nothing after event {LastEventId}; " +
                    $"the code now did {more.Describe()}. The workflow code changed in a way that is not replay-safe: " +
                    "guard the change with Workflow.Patched(...) or deploy the previous code.");
            }
        }
        finally
        {
            IsReplaying = false;
        }
    }

    private void DropUnrecordedDeprecationMarkers(HistoryEvent? recorded)
    {
        // DeprecatePatch is replay-tolerant: histories recorded with or without its marker both replay.
        while (pending.TryPeek(out var head) && head is RecordMarkerCommand { Deprecated: true } marker
            && !(recorded is MarkerRecorded m && m.PatchId == marker.PatchId))
        {
            pending.Dequeue();
        }
    }

    private void ExpectNext(HistoryEvent recorded)
    {
        if (recorded.EventId != LastEventId + 1)
        {
            throw new InvalidOperationException($"History of workflow '{Info.WorkflowId}' has a gap: event {recorded.EventId} follows event {LastEventId}.");
        }
    }

    private void MatchCommand(HistoryEvent recorded)
    {
        DropUnrecordedDeprecationMarkers(recorded);
        if (recorded is MarkerRecorded marker && !(pending.TryPeek(out var head) && head.Matches(marker)))
        {
            // A marker whose DeprecatePatch call has since been removed from the code.
            Apply(recorded);
            return;
        }

        if (!pending.TryDequeue(out var command))
        {
            throw NonDeterminism(recorded, "did nothing more at that point");
        }

        if (!command.Matches(recorded))
        {
            throw NonDeterminism(recorded, $"did {command.Describe()}");
        }

        command.Bind(recorded);
        Apply(recorded);
        if (command is LocalActivityCommand)
        {
            RunReleasedCode();
        }
    }

    private NonDeterminismException NonDeterminism(HistoryEvent recorded, string codeDid) => new(
        $"Workflow '{Info.WorkflowId}' ({Info.WorkflowType}): history recorded {recorded.Describe()} at event {recorded.EventId}; " +
        $"the code now {codeDid}. The workflow code changed in a way that is not replay-safe: guard the change with " +
        "Workflow.Patched(...) or deploy the previous code. History is untouched and the task will be retried.");
}
