namespace ServerlessFlow.Engine.Activities;

/// <summary>The timeout rules of activities, and the failure types they produce (Temporal's names).</summary>
internal static class ActivityTimeouts
{
    public const string StartToClose = "StartToCloseTimeout";
    public const string Heartbeat = "HeartbeatTimeout";
    public const string ScheduleToStart = "ScheduleToStartTimeout";
    public const string ScheduleToClose = "ScheduleToCloseTimeout";

    /// <summary>Not a failure: the activity's row was deleted because the workflow no longer wants it.</summary>
    public const string Cancelled = "Cancelled";

    /// <summary>How long one attempt may run: its start-to-close timeout, or the whole schedule-to-close budget.</summary>
    public static TimeSpan AttemptTimeout(ActivityOptions options) =>
        options.StartToCloseTimeout ?? options.ScheduleToCloseTimeout ?? throw new InvalidOperationException("An activity without a close timeout was scheduled.");

    /// <summary>
    /// When the running attempt counts as lost, and why: start-to-close, a missed heartbeat, or the activity's schedule-to-close
    /// deadline, whichever comes first — so the check sent when an attempt starts also enforces schedule-to-close while it runs.
    /// </summary>
    public static (DateTimeOffset At, string Reason) AttemptDeadline(Backend.ActivityTaskRecord row)
    {
        var started = row.StartedAt ?? row.ScheduledAt;
        var closeBy = CloseDeadline(row);
        return row.Options.HeartbeatTimeout is { } heartbeat && (row.LastHeartbeatAt ?? started) + heartbeat < closeBy.At
            ? ((row.LastHeartbeatAt ?? started) + heartbeat, Heartbeat)
            : closeBy;
    }

    /// <summary>
    /// When the running attempt must have closed whatever it heartbeats: its start-to-close timeout counted from the start its row
    /// records, or the activity's schedule-to-close deadline if that comes first. The worker running the attempt stops it at this
    /// moment, the same moment another worker may take it over — never later, or two attempts would run at once.
    /// </summary>
    public static (DateTimeOffset At, string Reason) CloseDeadline(Backend.ActivityTaskRecord row)
    {
        var closeBy = (row.StartedAt ?? row.ScheduledAt) + AttemptTimeout(row.Options);
        return row.Options.ScheduleToCloseTimeout is { } scheduleToClose && row.ScheduledAt + scheduleToClose < closeBy
            ? (row.ScheduledAt + scheduleToClose, ScheduleToClose)
            : (closeBy, StartToClose);
    }

    /// <summary>The earliest schedule-level deadline (schedule-to-start for a first attempt not started, schedule-to-close), if any.</summary>
    public static DateTimeOffset? ScheduleDeadline(Backend.ActivityTaskRecord row)
    {
        DateTimeOffset? toStart = row.State == Backend.ActivityState.Scheduled && row.Attempt == 1 && row.Options.ScheduleToStartTimeout is { } s2s ? row.ScheduledAt + s2s : null;
        DateTimeOffset? toClose = row.Options.ScheduleToCloseTimeout is { } s2c ? row.ScheduledAt + s2c : null;
        return toStart is null ? toClose : toClose is null ? toStart : toStart < toClose ? toStart : toClose;
    }

    /// <summary>
    /// The failure of a timeout of <paramref name="type"/>, worded as Temporal users read it: "activity start-to-close timeout
    /// of 1 s exceeded (attempt 1)", naming the activity, the limit and the attempt — never the cancellation that enforced it.
    /// </summary>
    public static FailureInfo Failure(string type, Backend.ActivityTaskRecord row)
    {
        // Without a start-to-close timeout an attempt runs within the schedule-to-close budget: running out of it is that timeout.
        type = type == StartToClose && row.Options.StartToCloseTimeout is null ? ScheduleToClose : type;
        var (kind, limit) = type switch
        {
            Heartbeat => ("heartbeat", row.Options.HeartbeatTimeout),
            ScheduleToStart => ("schedule-to-start", row.Options.ScheduleToStartTimeout),
            ScheduleToClose => ("schedule-to-close", row.Options.ScheduleToCloseTimeout),
            _ => ("start-to-close", (TimeSpan?)AttemptTimeout(row.Options)),
        };
        var where = type == ScheduleToStart ? $": no worker of task queue '{row.TaskQueue}' picked it up" : "";
        return new FailureInfo
        {
            Type = type,
            Message = $"Activity '{row.ActivityName}': activity {kind} timeout of {Duration(limit)} exceeded (attempt {row.Attempt}){where}.",
            NonRetryable = type is ScheduleToStart or ScheduleToClose,
        };
    }

    /// <summary>A limit as people write it: "1 s", "1.5 s", "90 s".</summary>
    private static string Duration(TimeSpan? limit) =>
        limit is { } value ? value.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s" : "?";
}
