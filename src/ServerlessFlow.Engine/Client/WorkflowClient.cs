using System.Diagnostics;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Diagnostics;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Client;

/// <summary>The engine's <see cref="IWorkflowClient"/>: every call reads or commits through the backend with the same fence the workers use.</summary>
internal sealed partial class WorkflowClient(
    IWorkflowStore store,
    IVisibilityStore visibility,
    OutboxSender outbox,
    Retention.WorkflowPurger purger,
    WorkflowRegistry registry,
    CompletionNotifier notifier,
    WorkflowTaskProcessor workflowTasks,
    RunCloser closer,
    Worker.StorageInitializer storage,
    WorkerOptions workerOptions,
    TimeProvider time,
    CallerClock callerClock) : IWorkflowClient
{
    public Task<WorkflowHandle> StartWorkflowAsync(string workflowType, object? input, StartWorkflowOptions options, CancellationToken cancellationToken = default) =>
        StartWorkflowAsync(workflowType, input, options, scheduledBy: null, cancellationToken);

    /// <summary>Starts a workflow; <paramref name="scheduledBy"/> names the schedule to tell when it closes.</summary>
    internal async Task<WorkflowHandle> StartWorkflowAsync(
        string workflowType, object? input, StartWorkflowOptions options, ScheduleLink? scheduledBy, CancellationToken cancellationToken)
    {
        var (handle, firstTask) = await StartAsync(workflowType, input, options, scheduledBy, cancellationToken);
        if (firstTask is not null)
        {
            await firstTask(true);
        }

        return handle;
    }

    /// <summary>
    /// Starts a workflow. For an eager start the first task is returned, not run: the caller runs it (true: on the committed
    /// state, with no load) once it has written what the task must see, as signal-with-start does its signal (false: it loads).
    /// </summary>
    private async Task<(WorkflowHandle Handle, Func<bool, Task>? FirstTask)> StartAsync(
        string workflowType, object? input, StartWorkflowOptions options, ScheduleLink? scheduledBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (input is StartWorkflowOptions)
        {
            throw new ArgumentException("The input is a StartWorkflowOptions; pass the options as the options argument.", nameof(input));
        }

        var definition = registry.GetWorkflow(WorkflowIds.ValidateName(workflowType, "workflow type"));
        var id = WorkflowIds.Validate(options.Id ?? Guid.NewGuid().ToString("N"));
        var startDelay = StartDelays.Check(options.StartDelay);

        // The start's span is the run's root: its context is recorded with the run, and every later span of the run is its child.
        using var span = ServerlessFlowTelemetry.Source.StartActivity($"StartWorkflow {definition.Name}", ActivityKind.Producer);
        span?.SetTag(TagNames.WorkflowId, id);
        span?.SetTag(TagNames.WorkflowType, definition.Name);
        var taskQueue = QueueNames.Validate(options.TaskQueue);
        var payload = PayloadLimits.Check(PayloadJson.ToElement(input), "workflow input");
        ArgumentFit.Check(payload, definition.Invokers.Run, $"the input of workflow '{definition.Name}'");
        var metadata = new RunMetadata(
            PayloadLimits.CheckMemo(options.Memo), registry.SearchAttributes.Apply(new Dictionary<string, System.Text.Json.JsonElement>(), options.SearchAttributes), scheduledBy);
        // A new ID is the common case: insert at once and read only when the insert finds a row (a conflict writes nothing).
        var look = false;
        var initialized = false;
        while (true)
        {
            var existing = look ? await store.ReadInstanceAsync(id, cancellationToken) : null;
            look = true;
            if (existing is { Status: WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew })
            {
                // The open run is the ID's current one: while the chain continues as new, the run its closed run named.
                var open = await OpenRunAsync(existing, cancellationToken) ?? existing.RunId;
                switch (options.IdConflictPolicy)
                {
                    case WorkflowIdConflictPolicy.UseExisting:
                        return (new WorkflowHandle(id, open), null);
                    case WorkflowIdConflictPolicy.TerminateExisting:
                        // The terminate ends the ID's current run, also one a continue-as-new named and no worker has started yet (it
                        // starts it), so each pass makes progress: it answers false only when the run closed meanwhile, which the next read sees.
                        await TerminateWorkflowAsync(id, "Terminated by a new start with IdConflictPolicy.TerminateExisting.", cancellationToken);
                        continue;
                    default:
                        throw new WorkflowAlreadyStartedException(id, open);
                }
            }

            if (existing is not null && !ReuseAllowed(options.IdReusePolicy, existing.Status))
            {
                throw new InvalidWorkflowRequestException(
                    $"Workflow ID '{id}' was used by a run that ended as {existing.Status}, and the start's IdReusePolicy is {options.IdReusePolicy}. Choose another ID or another policy.");
            }

            // The closed run's last messages (a parent's notification, its children's close policy) go out before its row is replaced.
            if (existing is { OutboxPending: true } && await outbox.SendAsync(existing, cancellationToken))
            {
                continue;
            }

            var runId = Guid.NewGuid().ToString("N");
            var now = time.GetUtcNow();
            var commit = StartCommit.Build(
                id, runId, definition.Name, taskQueue, payload, now, existing, parent: null, metadata, ServerlessFlowTelemetry.TraceParentOf(span));
            var eager = workerOptions.EagerStart && workerOptions.TaskQueues.Contains(taskQueue, StringComparer.Ordinal);
            if (startDelay is { } delay)
            {
                // The delayed wake-up runs the first task, wherever it is received: nobody runs it now.
                commit = StartCommit.WithStartDelay(commit, delay);
                eager = false;
            }

            if (eager)
            {
                commit = StartCommit.Eager(commit);
            }

            InstanceRecord? committed;
            try
            {
                committed = await store.CommitAsync(commit, cancellationToken);
            }
            catch (StoreException e) when (e.Status == 404 && !initialized)
            {
                // The tables do not exist yet (a start racing the worker's start-up): create them, as the worker would, and insert
                // again — with no read first, since a table that did not exist holds no row of this ID.
                await storage.InitializeAsync(cancellationToken);
                initialized = true;
                look = false;
                continue;
            }

            if (committed is null)
            {
                continue; // Lost a race with another start (or a close): look again.
            }

            span?.SetTag(TagNames.RunId, runId);
            ServerlessFlowTelemetry.WorkflowStarts.Add(1, new KeyValuePair<string, object?>(TagNames.WorkflowType, definition.Name));

            if (!eager)
            {
                await outbox.SendAsync(committed, cancellationToken);
                return (new WorkflowHandle(id, runId), null);
            }

            // This process runs the first task: a wait on the workflow begun here learns of its commits as they happen, with no reads.
            notifier.Committed(committed, newEvents: commit.NewEvents);

            // The first task's commit replaces the outbox and its flag: clearing them now would be a write for nothing (and the flag
            // is what the recovery sweep finds if this process dies before that commit).
            var sent = await outbox.SendAsync(committed, clear: false, cancellationToken);
            var state = sent ? committed with { OutboxPending = false, VisibilityChanged = false } : committed;
            var started = (WorkflowStarted)commit.NewEvents[0];
            return (new WorkflowHandle(id, runId), asCommitted => workflowTasks.RunStartedAsync(state, asCommitted ? started : null));
        }
    }

    public async Task<WorkflowDescription> DescribeWorkflowAsync(string workflowId, CancellationToken cancellationToken = default) =>
        await DescribeAsync(await ReadAsync(workflowId, cancellationToken), cancellationToken);

    public async Task<WorkflowDescription> WaitForCloseAsync(string workflowId, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        // The caller's wait is in real time, whatever clock the workflows run on: a fake clock that stands still must not make it endless.
        var clock = callerClock.Time;
        var waited = clock.GetTimestamp();
        // Watch before the first read: a commit made here between the two is then seen, not lost.
        using var watch = notifier.Watch(WorkflowIds.Validate(workflowId));
        var instance = await ReadAsync(workflowId, cancellationToken);
        CommitReport? report = null;
        var reads = new FallbackReads(clock, runHere: watch.CommittedHereAt is not null);
        while (!IsClosed(instance))
        {
            var left = wait - clock.GetElapsedTime(waited);
            if (left <= TimeSpan.Zero)
            {
                return await DescribeWorkflowAsync(workflowId, cancellationToken); // as it is now, not as last heard
            }

            if (reads.UntilDue is var due && due > TimeSpan.Zero)
            {
                await Task.WhenAny(watch.Arrived, Task.Delay(left < due ? left : due, clock, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                // Only commits newer than the instance in hand count: Version rises by one with every commit and carries across runs
                // of the ID (InstanceRecord.Version), so a report that comes late — an earlier commit's, or the close of an earlier run
                // reported after the ID was started again and read here as the new run — is older news and must not end the wait.
                if (watch.Take().Where(c => c.Instance.Version > instance.Version).ToList() is [_, ..] commits)
                {
                    // What the commits stored is the workflow's state: no read. A close among them ends the wait, and the events its
                    // committer had in hand describe it.
                    report = commits.FirstOrDefault(c => IsClosed(c.Instance)) ?? commits.MaxBy(c => c.Instance.Version)!;
                    instance = report.Instance;
                    reads.CommitSeen();
                }

                continue;
            }

            instance = await ReadAsync(workflowId, cancellationToken);
            report = null;
            reads.Read();
        }

        return await DescribeAsync(instance, cancellationToken, report);
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        var instance = await ReadAsync(workflowId, cancellationToken);
        return await store.ReadHistoryAsync(workflowId, instance.RunId, 0, cancellationToken);
    }

    public async Task<bool> TerminateWorkflowAsync(string workflowId, string? reason, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            // The workflow ID's current run, as in Temporal: one that continued as new is replaced by the run it named.
            var instance = await CurrentRunAsync(workflowId, cancellationToken);
            if (instance.Status != WorkflowStatus.Running)
            {
                return false;
            }

            var snapshot = await store.LoadAsync(workflowId, instance.RunId, instance.LastEventId, cancellationToken);
            if (snapshot is null)
            {
                throw new WorkflowNotFoundException(workflowId);
            }

            if (snapshot.Instance.Status != WorkflowStatus.Running || snapshot.Instance.RunId != instance.RunId)
            {
                continue; // Closed (or replaced) between the read and the load: the commit would be fenced by the new row. Look again.
            }

            var now = time.GetUtcNow();
            var terminated = new WorkflowTerminated { EventId = snapshot.Instance.LastEventId + 1, Timestamp = now, Reason = reason };
            var commit = InstanceTransition.Build(snapshot.Instance, [terminated], snapshot.Inbox.Select(i => i.Key).Take(WorkflowTaskProcessor.MaxInboxPerTask).ToList(), now);
            if (await store.CommitAsync(commit, cancellationToken) is { } committed)
            {
                notifier.Committed(committed, newEvents: commit.NewEvents);
                await outbox.SendAsync(committed, cancellationToken);
                return true;
            }
        }
    }

    /// <summary>
    /// The instance row of the workflow ID's current run: the open run, or the last one if none is open. Between the two commits of a
    /// continue-as-new the current run is the one the closed run named — Temporal makes continue-as-new one step, so a terminate or an
    /// update that races it reaches the new run. Here that run is started by this call, with the same fenced commit the continuing
    /// worker makes (whichever commits first starts it, once; the other finds it started), rather than waited for: the worker may have
    /// died, and then only the recovery sweep would start it.
    /// </summary>
    private async Task<InstanceRecord> CurrentRunAsync(string workflowId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var instance = await ReadAsync(workflowId, cancellationToken);
            if (instance.Status != WorkflowStatus.ContinuedAsNew)
            {
                return instance;
            }

            // The closed run's last messages (its children's close policy, requests to other workflows) go out before its row is replaced.
            if (instance.OutboxPending && await outbox.SendAsync(instance, cancellationToken))
            {
                continue;
            }

            // The start carries the new run's wake-up (nobody here runs it); a lost race means it started meanwhile: read again.
            if (await store.CommitAsync(await closer.ContinuedRunAsync(instance, cancellationToken), cancellationToken) is { } started)
            {
                await outbox.SendAsync(started, cancellationToken);
            }
        }
    }

    private static bool ReuseAllowed(WorkflowIdReusePolicy policy, WorkflowStatus closedAs) => policy switch
    {
        WorkflowIdReusePolicy.RejectDuplicate => false,
        WorkflowIdReusePolicy.AllowDuplicateFailedOnly => closedAs != WorkflowStatus.Completed,
        _ => true,
    };

    private async Task<InstanceRecord> ReadAsync(string workflowId, CancellationToken cancellationToken) =>
        await store.ReadInstanceAsync(WorkflowIds.Validate(workflowId), cancellationToken) ?? throw new WorkflowNotFoundException(workflowId);

    /// <summary>ContinuedAsNew is the moment between two runs of the same ID: not a close, the wait goes on for the next run.</summary>
    private static bool IsClosed(InstanceRecord instance) => instance.Status is not (WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew);

    /// <summary>
    /// Describes the run of <paramref name="instance"/>, an instance row read (or a record committed in this process) just before:
    /// it is the fence of the run's history, so its first and closing events are read as committed events, by point reads — unless
    /// the commit that stored it was made here and its committer had them in hand (<paramref name="report"/>).
    /// </summary>
    private async Task<WorkflowDescription> DescribeAsync(InstanceRecord instance, CancellationToken cancellationToken, CommitReport? report = null)
    {
        var (workflowId, runId) = (instance.WorkflowId, instance.RunId);
        var known = ReferenceEquals(report?.Instance, instance) ? report : null;
        var startedRead = EventAsync(1);
        var closingRead = instance.Status == WorkflowStatus.Running ? Task.FromResult<HistoryEvent?>(null) : EventAsync(instance.LastEventId);
        var started = await startedRead as WorkflowStarted;
        var closing = await closingRead;
        var pending = new List<PendingActivityDescription>();
        foreach (var activity in instance.PendingActivities)
        {
            var row = await store.ReadActivityAsync(workflowId, runId, activity.ScheduledEventId, cancellationToken);
            pending.Add(new PendingActivityDescription(activity.ScheduledEventId, activity.ActivityName, activity.TaskQueue)
            {
                State = row?.State.ToString(), Attempt = row?.Attempt ?? 0, StartedAt = row?.StartedAt, LastHeartbeatAt = row?.LastHeartbeatAt,
                HeartbeatDetails = row?.HeartbeatDetails, NextAttemptAt = row?.NextAttemptAt, LastFailure = row?.LastFailure,
            });
        }

        return Describe(instance) with
        {
            PendingActivities = pending,
            Input = started?.Input,
            Memo = started?.Memo,
            Result = (closing as WorkflowCompleted)?.Result,
            Failure = RunOutcome.FailureOf(closing),
        };

        Task<HistoryEvent?> EventAsync(long eventId) =>
            known?.Event(eventId) is { } inHand ? Task.FromResult<HistoryEvent?>(inHand) : store.ReadEventAsync(workflowId, runId, eventId, cancellationToken);
    }

    private static WorkflowDescription Describe(InstanceRecord instance) => new()
    {
        Id = instance.WorkflowId,
        RunId = instance.RunId,
        Type = instance.WorkflowType,
        Status = instance.Status,
        TaskQueue = instance.TaskQueue,
        CreatedAt = instance.CreatedAt,
        ClosedAt = instance.ClosedAt,
        HistoryLength = instance.LastEventId,
        PendingActivities = instance.PendingActivities.Select(a => new PendingActivityDescription(a.ScheduledEventId, a.ActivityName, a.TaskQueue)).ToList(),
        PendingTimers = instance.Timers.Select(t => t.FireAt).ToList(),
        LastTaskFailure = instance.LastTaskFailure,
        DeadLetters = instance.Status == WorkflowStatus.Running ? [.. instance.DeadLetters.Select(d => d.Note)] : [],
        SearchAttributes = instance.SearchAttributes,
        Suspension = instance.Status == WorkflowStatus.Running ? instance.Suspension : null,
        FirstTaskDueAt = instance.FirstTaskDueAt,
    };
}
