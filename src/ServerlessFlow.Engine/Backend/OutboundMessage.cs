namespace ServerlessFlow.Engine.Backend;

/// <summary>A queue message recorded by a commit and sent after it.</summary>
/// <param name="Queue">Logical queue name from <see cref="QueueNames"/>; the backend maps it to a storage queue.</param>
/// <param name="Message">The message.</param>
/// <param name="VisibleAt">When the message should become visible (timers); null for now.</param>
public sealed record OutboundMessage(string Queue, TaskMessage Message, DateTimeOffset? VisibleAt = null)
{
    /// <summary>
    /// When set, the entry stands for one message per scheduled event ID from the message's own (an activity's, a child's or a request's event: the wire
    /// form's <c>e</c>) through this one, each
    /// otherwise like <see cref="Message"/>: a step that schedules thousands of activities keeps its outbox (stored in the instance
    /// row, which holds at most one row's bytes) to a few entries.
    /// </summary>
    public long? ThroughScheduledEventId { get; init; }

    /// <summary>
    /// Activities one activity message dispatches at most: a batch is claimed in one transaction and its outcomes reported in
    /// a few, and it is small enough to spread a fan-out over many workers.
    /// </summary>
    public const int MaxActivitiesPerMessage = 25;

    /// <summary>The entries this one stands for, one per message to send (<see cref="Expand"/>, with activity tasks in batches).</summary>
    public IEnumerable<OutboundMessage> ToSend()
    {
        if (Message is not ActivityTaskMessage activity || ThroughScheduledEventId is not { } last)
        {
            foreach (var one in Expand())
            {
                yield return one;
            }

            yield break;
        }

        for (var from = activity.ScheduledEventId; from <= last; from += MaxActivitiesPerMessage)
        {
            var through = Math.Min(last, from + MaxActivitiesPerMessage - 1);
            yield return new OutboundMessage(Queue, activity with { ScheduledEventId = from, ThroughScheduledEventId = through == from ? null : through }, VisibleAt);
        }
    }

    /// <summary>The messages this entry stands for, one per scheduled event.</summary>
    public IEnumerable<OutboundMessage> Expand()
    {
        // The event ID is the wire form's "e", whatever the kind calls it (an activity's, a child's, a request's event).
        if (ThroughScheduledEventId is not { } last || TaskMessageWire.From(Message) is not { ScheduledEventId: { } first } wire)
        {
            yield return this;
            yield break;
        }

        for (var id = first; id <= last; id++)
        {
            yield return new OutboundMessage(Queue, (wire with { ScheduledEventId = id }).ToMessage(), VisibleAt);
        }
    }

    /// <summary>
    /// Folds messages that differ only in consecutive scheduled event IDs into ranges (<see cref="ThroughScheduledEventId"/>);
    /// a range keeps the place of its first message, other messages keep theirs.
    /// </summary>
    public static List<OutboundMessage> Compact(IEnumerable<OutboundMessage> outbox)
    {
        var result = new List<OutboundMessage>();
        var openRanges = new Dictionary<(string Queue, DateTimeOffset? VisibleAt, TaskMessageWire Shape), int>();
        foreach (var entry in outbox.SelectMany(o => o.Expand()))
        {
            // Compared in the wire form, where every kind's event ID is the same field: the rest of the message is the range's shape.
            var wire = TaskMessageWire.From(entry.Message);
            if (wire.ScheduledEventId is not { } id)
            {
                result.Add(entry);
                continue;
            }

            var key = (entry.Queue, entry.VisibleAt, wire with { ScheduledEventId = null });
            if (openRanges.TryGetValue(key, out var index)
                && (result[index].ThroughScheduledEventId ?? TaskMessageWire.From(result[index].Message).ScheduledEventId) == id - 1)
            {
                result[index] = result[index] with { ThroughScheduledEventId = id };
                continue;
            }

            openRanges[key] = result.Count;
            result.Add(entry);
        }

        return result;
    }
}
