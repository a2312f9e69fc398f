using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Client;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Engine.Schedules;

/// <summary>The engine's <see cref="IScheduleClient"/>: each change is an ETag-fenced write of the schedule row, followed by a pass.</summary>
internal sealed class ScheduleClient(
    IScheduleStore schedules, IWorkflowStore store, ScheduleProcessor processor, WorkflowRegistry registry, TimeProvider time) : IScheduleClient
{
    /// <summary>Longest schedule ID: its run IDs add 21 characters and must stay within the workflow ID limit.</summary>
    public const int MaxIdLength = 200;

    /// <summary>Backfill ranges waiting at once at most.</summary>
    public const int MaxPendingBackfills = 10;

    /// <summary>
    /// Actions one backfill may take at most: a day of a per-10-seconds schedule. Backfills run in passes of
    /// <see cref="ScheduleProcessor.MaxActionsPerPass"/>, so this bounds how long one schedule keeps the workers busy.
    /// </summary>
    public const int MaxBackfillActions = 10_000;

    /// <summary>Earliest time a backfill may start at: intervals count from the Unix epoch, and storage keeps no date before 1601.</summary>
    public static readonly DateTimeOffset EarliestBackfill = DateTimeOffset.UnixEpoch;

    /// <summary>The nominal time that names the schedule's runs in <see cref="ScheduleProcessor.WorkflowIdFor"/>; every time gives an ID of the same length.</summary>
    private static readonly DateTimeOffset SampleNominal = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    private static readonly TimeSpan MinCatchupWindow = TimeSpan.FromSeconds(10);

    public async Task<ScheduleDescription> CreateScheduleAsync(
        string scheduleId, ScheduleDefinition definition, bool paused = false, string? note = null, CancellationToken cancellationToken = default)
    {
        ValidateRunIds(scheduleId);
        var now = time.GetUtcNow();
        var state = new ScheduleState { Definition = Validate(definition), Paused = paused, Note = note, CreatedAt = now, Watermark = now };
        var record = new ScheduleRecord { ScheduleId = scheduleId, StateJson = state.ToJson(), NextWakeAt = now };
        if (await schedules.WriteScheduleAsync(record, cancellationToken) is null)
        {
            throw new ScheduleAlreadyExistsException(scheduleId);
        }

        return await PassAndDescribeAsync(scheduleId, cancellationToken);
    }

    public async Task<ScheduleDescription> DescribeScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        Describe(await ReadAsync(scheduleId, cancellationToken));

    public async Task<SchedulePage> ListSchedulesAsync(int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > 1000)
        {
            throw new InvalidWorkflowRequestException($"Page size {pageSize} is out of range; use 1 to 1000.");
        }

        var page = await schedules.ListSchedulesAsync(pageSize, continuationToken, cancellationToken);
        return new SchedulePage(page.Items.Select(Describe).ToList(), page.ContinuationToken);
    }

    public Task<ScheduleDescription> UpdateScheduleAsync(string scheduleId, ScheduleDefinition definition, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var validated = Validate(definition);
        // Times before the update are not taken by the new spec (Temporal discards them too).
        return ChangeAsync(scheduleId, ifMatch, (state, now) => state with
        {
            Definition = validated, UpdatedAt = now, Watermark = now > state.Watermark ? now : state.Watermark,
        }, cancellationToken);
    }

    public Task<ScheduleDescription> PauseScheduleAsync(string scheduleId, string? note = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(scheduleId, null, (state, now) => state with { Paused = true, Note = note ?? state.Note, UpdatedAt = now }, cancellationToken);

    public Task<ScheduleDescription> UnpauseScheduleAsync(string scheduleId, string? note = null, CancellationToken cancellationToken = default) =>
        // Times passed while paused were skipped on purpose: the schedule resumes from now.
        ChangeAsync(scheduleId, null, (state, now) => state with
        {
            Paused = false, Note = note ?? state.Note, UpdatedAt = now, Watermark = state.Paused && now > state.Watermark ? now : state.Watermark,
        }, cancellationToken);

    public Task TriggerScheduleAsync(string scheduleId, ScheduleOverlapPolicy? overlap = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(scheduleId, null, (state, now) =>
        {
            // Whole seconds: the run ID names the second, so two triggers within one second are one run.
            var nominal = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var (buffer, dropped) = ScheduleBuffer.Add(state.Buffer, new BufferedAction(nominal, overlap ?? state.Definition.Policies.Overlap, Manual: true));
            return state with { Buffer = buffer, OverlapSkipped = state.OverlapSkipped + (dropped ? 1 : 0) };
        }, cancellationToken);

    public Task BackfillScheduleAsync(
        string scheduleId, DateTimeOffset startAt, DateTimeOffset endAt, ScheduleOverlapPolicy? overlap = null, CancellationToken cancellationToken = default)
    {
        if (endAt <= startAt)
        {
            throw new InvalidWorkflowRequestException($"The backfill range is empty: endAt ({endAt:O}) must be after startAt ({startAt:O}).");
        }

        if (startAt < EarliestBackfill)
        {
            throw new InvalidWorkflowRequestException(
                $"The backfill starts at {startAt:O}, before {EarliestBackfill:O}, the earliest time a schedule takes: give a later startAt.");
        }

        return ChangeAsync(scheduleId, null, (state, _) =>
        {
            if (state.Backfills.Count >= MaxPendingBackfills)
            {
                throw new InvalidWorkflowRequestException($"Schedule '{scheduleId}' has {MaxPendingBackfills} backfills waiting already; wait for them to finish.");
            }

            var after = startAt.AddTicks(-1);
            CheckBackfillSize(scheduleId, ScheduleSpecEvaluator.Create(state.Definition.Spec), after, endAt);
            return state with { Backfills = [.. state.Backfills, new BackfillRange(after, endAt, overlap ?? state.Definition.Policies.Overlap)] };
        }, cancellationToken);
    }

    public async Task<bool> DeleteScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        while (await schedules.ReadScheduleAsync(ValidateId(scheduleId), cancellationToken) is { } record)
        {
            if (await schedules.DeleteScheduleAsync(scheduleId, record.ETag!, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads the schedule, applies <paramref name="change"/> (which throws to refuse it) and writes it under the ETag read, then runs a pass.
    /// Everything that can refuse the change runs before the write: a refused request changes nothing.
    /// </summary>
    private async Task<ScheduleDescription> ChangeAsync(
        string scheduleId, string? ifMatch, Func<ScheduleState, DateTimeOffset, ScheduleState> change, CancellationToken cancellationToken)
    {
        // A schedule created before its run IDs were checked may have IDs storage cannot key: it takes no change but a delete.
        ValidateRunIds(scheduleId);
        while (true)
        {
            var record = await ReadAsync(scheduleId, cancellationToken);
            if (ifMatch is not null && ifMatch != record.ETag)
            {
                throw new ScheduleChangedException(scheduleId);
            }

            var now = time.GetUtcNow();
            var state = change(ScheduleState.Parse(record), now);
            if (await schedules.WriteScheduleAsync(record with { StateJson = state.ToJson(), NextWakeAt = now }, cancellationToken) is not null)
            {
                break;
            }
        }

        return await PassAndDescribeAsync(scheduleId, cancellationToken);
    }

    /// <summary>Takes whatever a change made due at once, and describes the schedule as that pass left it.</summary>
    private async Task<ScheduleDescription> PassAndDescribeAsync(string scheduleId, CancellationToken cancellationToken) =>
        await processor.RunPassAsync(scheduleId, rearm: false, cancellationToken) is { } passed
            ? Describe(passed)
            : await DescribeScheduleAsync(scheduleId, cancellationToken);

    private async Task<ScheduleRecord> ReadAsync(string scheduleId, CancellationToken cancellationToken) =>
        await schedules.ReadScheduleAsync(ValidateId(scheduleId), cancellationToken) ?? throw new ScheduleNotFoundException(scheduleId);

    private ScheduleDefinition Validate(ScheduleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(definition.Spec);
        ArgumentNullException.ThrowIfNull(definition.Action);
        ScheduleSpecEvaluator.Create(definition.Spec);
        var action = definition.Action;
        if (registry.FindWorkflow(action.WorkflowType) is null)
        {
            throw new InvalidWorkflowRequestException(
                $"The schedule's action names workflow type '{action.WorkflowType}', which is not registered; registered: {string.Join(", ", registry.WorkflowNames.Order(StringComparer.Ordinal))}.");
        }

        QueueNames.Validate(action.TaskQueue);
        PayloadLimits.CheckMemo(action.Memo);
        // Checked with the two built-in attributes every scheduled run gets, so that the limit on their number holds at start.
        var builtIn = new Dictionary<string, object?> { [BuiltInSearchAttributes.ScheduledById] = "x", [BuiltInSearchAttributes.ScheduledStartTime] = DateTimeOffset.UnixEpoch };
        registry.SearchAttributes.Apply(registry.SearchAttributes.Apply(new Dictionary<string, System.Text.Json.JsonElement>(), builtIn), action.SearchAttributes);
        var policies = definition.Policies ?? new SchedulePolicies();
        if (policies.CatchupWindow < MinCatchupWindow)
        {
            throw new InvalidWorkflowRequestException($"The catch-up window {policies.CatchupWindow} is below the minimum of {MinCatchupWindow.TotalSeconds} seconds.");
        }

        return definition with { Policies = policies, Action = action with { Input = PayloadLimits.Check(PayloadJson.ToElement(action.Input), "schedule action input") } };
    }

    /// <summary>Counts the backfill's times, up to one past the limit (bounded work), and refuses it above <see cref="MaxBackfillActions"/>.</summary>
    private static void CheckBackfillSize(string scheduleId, ScheduleSpecEvaluator spec, DateTimeOffset after, DateTimeOffset endAt)
    {
        var count = 0;
        for (var nominal = spec.NextNominal(after); nominal is { } at && at < endAt; nominal = spec.NextNominal(at))
        {
            if (++count > MaxBackfillActions)
            {
                throw new InvalidWorkflowRequestException(
                    $"The backfill of schedule '{scheduleId}' from {after.AddTicks(1):O} to {endAt:O} would take more than {MaxBackfillActions} actions; " +
                    $"backfill at most {MaxBackfillActions} at a time: split the range, and send the next part when the previous one has run.");
            }
        }
    }

    /// <summary>
    /// Validates the schedule ID and the workflow IDs of its runs, "{scheduleId}-{time}": refused here if storage could not key them,
    /// rather than at every action time, in passes that fail while describe shows nothing wrong.
    /// </summary>
    private string ValidateRunIds(string scheduleId)
    {
        var runId = ScheduleProcessor.WorkflowIdFor(ValidateId(scheduleId), SampleNominal);
        try
        {
            store.CheckWorkflowId(WorkflowIds.Validate(runId));
        }
        catch (InvalidWorkflowRequestException e)
        {
            throw new InvalidWorkflowRequestException(
                $"Schedule ID '{scheduleId}' cannot name its runs: their workflow IDs ('{runId}') are refused by storage ({e.Message}). " +
                "Use a shorter schedule ID, or one with fewer of the characters storage escapes (/ \\ # ? % ' + | ^ count three each).", e);
        }

        return scheduleId;
    }

    private static string ValidateId(string scheduleId) => IdentifierText.Validate(scheduleId, "schedule ID", MaxIdLength);

    private static ScheduleDescription Describe(ScheduleRecord record)
    {
        var state = ScheduleState.Parse(record);
        var spec = ScheduleSpecEvaluator.Create(state.Definition.Spec);
        var upcoming = new List<DateTimeOffset>();
        for (var nominal = spec.NextNominal(state.Watermark); nominal is { } at && upcoming.Count < 5 && !state.Paused; nominal = spec.NextNominal(at))
        {
            upcoming.Add(spec.ActualTime(record.ScheduleId, at));
        }

        return new ScheduleDescription
        {
            Id = record.ScheduleId, Definition = state.Definition, Paused = state.Paused, Note = state.Note, NextActionTimes = upcoming,
            RecentActions = state.RecentActions, RunningWorkflows = state.Running, ActionCount = state.ActionCount,
            MissedCatchupWindow = state.MissedCatchupWindow, OverlapSkipped = state.OverlapSkipped, CreatedAt = state.CreatedAt, UpdatedAt = state.UpdatedAt,
            ETag = record.ETag,
        };
    }
}
