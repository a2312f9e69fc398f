using ServerlessFlow.Schedules;

namespace ServerlessFlow.Engine.Schedules;

/// <summary>
/// The overlap policies (Temporal's): decides, for the actions waiting in a schedule's buffer and the
/// workflows it has open, which to start now, which open runs to cancel or terminate, and which wait.
/// Pure: the processor carries the decisions out.
/// </summary>
internal static class ScheduleBuffer
{
    /// <summary>Adds a due action under its overlap policy; BufferOne keeps only the first waiting action. True when it was dropped.</summary>
    public static (IReadOnlyList<BufferedAction> Buffer, bool Dropped) Add(IReadOnlyList<BufferedAction> buffer, BufferedAction action)
    {
        if (buffer.Any(b => b.Nominal == action.Nominal))
        {
            return (buffer, false);
        }

        if (action.Overlap == ScheduleOverlapPolicy.BufferOne && buffer.Count > 0)
        {
            return (buffer, true);
        }

        if (action.Overlap == ScheduleOverlapPolicy.CancelOther)
        {
            // The newest waiting action wins: older ones waiting behind the cancellation are dropped.
            var kept = buffer.Where(b => b.Overlap != ScheduleOverlapPolicy.CancelOther).ToList();
            return ([.. kept, action], kept.Count < buffer.Count);
        }

        return ([.. buffer, action], false);
    }

    /// <summary>Resolves the buffer against the open runs.</summary>
    public static Resolution Resolve(IReadOnlyList<BufferedAction> buffer, IReadOnlyList<string> open)
    {
        var starts = new List<BufferedAction>();
        var cancel = new List<string>();
        var terminate = new List<string>();
        var skipped = 0;
        var waiting = buffer.ToList();
        var running = open.Count;
        while (waiting.Count > 0)
        {
            var head = waiting[0];
            if (running == 0 || head.Overlap == ScheduleOverlapPolicy.AllowAll)
            {
                starts.Add(head);
                waiting.RemoveAt(0);
                running++;
                continue;
            }

            switch (head.Overlap)
            {
                case ScheduleOverlapPolicy.Skip:
                    skipped++;
                    waiting.RemoveAt(0);
                    continue;
                case ScheduleOverlapPolicy.TerminateOther:
                    terminate.AddRange(open.Except(terminate));
                    starts.Add(head);
                    waiting.RemoveAt(0);
                    running = starts.Count;
                    continue;
                case ScheduleOverlapPolicy.CancelOther:
                    cancel.AddRange(open);
                    break;
            }

            // BufferOne, BufferAll, CancelOther: the head waits for the open runs to close, and everything behind it waits too.
            break;
        }

        return new Resolution(starts, cancel.Distinct().ToList(), terminate, waiting, skipped);
    }

    /// <summary>What to do now.</summary>
    /// <param name="Start">Actions to start, in order.</param>
    /// <param name="Cancel">Open runs to ask to cancel.</param>
    /// <param name="Terminate">Open runs to terminate (before the starts).</param>
    /// <param name="Waiting">The buffer afterwards.</param>
    /// <param name="Skipped">Actions skipped by the Skip policy.</param>
    public sealed record Resolution(
        IReadOnlyList<BufferedAction> Start, IReadOnlyList<string> Cancel, IReadOnlyList<string> Terminate, IReadOnlyList<BufferedAction> Waiting, int Skipped);
}
