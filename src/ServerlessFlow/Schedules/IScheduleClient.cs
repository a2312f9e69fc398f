namespace ServerlessFlow.Schedules;

/// <summary>
/// Creates and manages schedules: durable rules that start workflows at times given by cron expressions
/// or intervals. Schedules need no always-on process: delayed queue messages and the housekeeping timer drive them.
/// </summary>
public interface IScheduleClient
{
    /// <summary>Creates a schedule and takes any action already due.</summary>
    /// <param name="scheduleId">Same rules as workflow IDs, at most 200 characters.</param>
    /// <param name="definition">Spec, action and policies.</param>
    /// <param name="paused">Create it paused.</param>
    /// <param name="note">A note (why it exists, why paused).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ScheduleAlreadyExistsException">The ID is taken.</exception>
    /// <exception cref="InvalidWorkflowRequestException">The spec or action is invalid; the message names what and how to fix it.</exception>
    Task<ScheduleDescription> CreateScheduleAsync(string scheduleId, ScheduleDefinition definition, bool paused = false, string? note = null, CancellationToken cancellationToken = default);

    /// <summary>Describes a schedule.</summary>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    Task<ScheduleDescription> DescribeScheduleAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Lists schedules in ID order.</summary>
    Task<SchedulePage> ListSchedulesAsync(int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces the definition. Times already passed are not run again; the next times follow the new spec.</summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="definition">The new definition.</param>
    /// <param name="ifMatch">Update only if the schedule still has this ETag (from describe).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    /// <exception cref="ScheduleChangedException">The schedule changed since <paramref name="ifMatch"/>.</exception>
    Task<ScheduleDescription> UpdateScheduleAsync(string scheduleId, ScheduleDefinition definition, string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Pauses: no actions until unpaused; the times passed while paused are skipped, not caught up.</summary>
    Task<ScheduleDescription> PauseScheduleAsync(string scheduleId, string? note = null, CancellationToken cancellationToken = default);

    /// <summary>Unpauses: actions resume from now.</summary>
    Task<ScheduleDescription> UnpauseScheduleAsync(string scheduleId, string? note = null, CancellationToken cancellationToken = default);

    /// <summary>Takes an action now (also while paused), under <paramref name="overlap"/> or the schedule's policy.</summary>
    Task TriggerScheduleAsync(string scheduleId, ScheduleOverlapPolicy? overlap = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the actions the spec gives in [<paramref name="startAt"/>, <paramref name="endAt"/>) as if they
    /// had been due then, ignoring the catch-up window; a time that already has a run is not run again.
    /// </summary>
    Task BackfillScheduleAsync(string scheduleId, DateTimeOffset startAt, DateTimeOffset endAt, ScheduleOverlapPolicy? overlap = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the schedule; workflows it started go on.</summary>
    /// <returns>False if there was no such schedule.</returns>
    Task<bool> DeleteScheduleAsync(string scheduleId, CancellationToken cancellationToken = default);
}

/// <summary>No schedule has the ID.</summary>
public sealed class ScheduleNotFoundException : ServerlessFlowException
{
    /// <summary>Creates the exception.</summary>
    public ScheduleNotFoundException(string scheduleId) : base($"Schedule '{scheduleId}' does not exist.") => ScheduleId = scheduleId;

    /// <summary>The ID asked for.</summary>
    public string ScheduleId { get; }
}

/// <summary>A schedule with the ID exists already.</summary>
public sealed class ScheduleAlreadyExistsException : ServerlessFlowException
{
    /// <summary>Creates the exception.</summary>
    public ScheduleAlreadyExistsException(string scheduleId)
        : base($"Schedule '{scheduleId}' already exists. Update it, or delete it first.") => ScheduleId = scheduleId;

    /// <summary>The ID asked for.</summary>
    public string ScheduleId { get; }
}

/// <summary>The schedule changed since the ETag the caller gave.</summary>
public sealed class ScheduleChangedException : ServerlessFlowException
{
    /// <summary>Creates the exception.</summary>
    public ScheduleChangedException(string scheduleId)
        : base($"Schedule '{scheduleId}' changed since the ETag given; describe it again and reapply the change.") => ScheduleId = scheduleId;

    /// <summary>The ID asked for.</summary>
    public string ScheduleId { get; }
}
