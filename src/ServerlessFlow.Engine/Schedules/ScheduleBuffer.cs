using ServerlessFlow.Schedules;

namespace ServerlessFlow.Engine.Schedules;

/// <summary>
/// The overlap policies (Temporal's): decides, for the actions waiting in a schedule's buffer and the
/// workflows it has open, which to start now, which open runs to cancel or terminate, and which wait.
/// Pure: the processor carries the decisions out.
/// </summary>
internal static class ScheduleBuffer
{
    /// <summary>Actions a schedule keeps waiting at most; later ones are dropped and counted.</summary>
    public const int MaxBuffered = 1_000;

    /// <summary>Adds a due action; CancelOther and TerminateOther keep only the newest waiting action of their kind. True when something was dropped.</summary>
    public static (IReadOnlyList<BufferedAction> Buffer, bool Dropped) Add(IReadOnlyList<BufferedAction> buffer, BufferedAction action)
    {
        if (buffer.Any(b => b.Nominal == action.Nominal))
        {
            return (buffer, false);
        }

        if (buffer.Count >= MaxBuffered)
        {
            return (buffer, true);
        }

        if (action.Overlap is ScheduleOverlapPolicy.CancelOther or ScheduleOverlapPolicy.TerminateOther)
        {
            var kept = buffer.Where(b => b.Overlap != action.Overlap).ToList();
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

            if (head.Overlap == ScheduleOverlapPolicy.Skip)
            {
                skipped++;
                waiting.RemoveAt(0);
                continue;
            }

            if (head.Overlap == ScheduleOverlapPolicy.TerminateOther)
            {
                // Terminate what was open before this pass; runs this pass started are not open yet in storage terms, so they stay.
                terminate.AddRange(open.Except(terminate));
                starts.Add(head);
                waiting.RemoveAt(0);
                running = starts.Count;
                continue;
            }

            if (head.Overlap == ScheduleOverlapPolicy.CancelOther)
            {
                cancel.AddRange(open.Except(cancel));
            }

            // BufferOne, BufferAll, CancelOther: the head waits for the open runs to close.
            break;
        }

        // BufferOne keeps one action waiting: later BufferOne actions behind it are dropped.
        var keptBufferOne = waiting.Find(w => w.Overlap == ScheduleOverlapPolicy.BufferOne);
        skipped += waiting.RemoveAll(w => w.Overlap == ScheduleOverlapPolicy.BufferOne && !ReferenceEquals(w, keptBufferOne));

        // AllowAll actions never wait, not even behind a waiting head.
        starts.AddRange(waiting.Where(w => w.Overlap == ScheduleOverlapPolicy.AllowAll));
        waiting.RemoveAll(w => w.Overlap == ScheduleOverlapPolicy.AllowAll);
        return new Resolution(starts, cancel, terminate, waiting, skipped);
    }

    /// <summary>What to do now.</summary>
    /// <param name="Start">Actions to start, in order.</param>
    /// <param name="Cancel">Open runs to ask to cancel.</param>
    /// <param name="Terminate">Open runs to terminate (before the starts).</param>
    /// <param name="Waiting">The buffer afterwards.</param>
    /// <param name="Skipped">Actions skipped (Skip) or dropped (BufferOne beyond the one waiting).</param>
    public sealed record Resolution(
        IReadOnlyList<BufferedAction> Start, IReadOnlyList<string> Cancel, IReadOnlyList<string> Terminate, IReadOnlyList<BufferedAction> Waiting, int Skipped);
}
