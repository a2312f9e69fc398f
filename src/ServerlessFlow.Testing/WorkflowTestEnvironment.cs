using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;
using ServerlessFlow.Engine.Worker;

namespace ServerlessFlow.Testing;

/// <summary>
/// The whole engine in memory, with a worker running and a clock that skips ahead, for tests of workflows:
/// <code>
/// await using var env = await WorkflowTestEnvironment.StartAsync(flow =&gt; flow.AddWorkflow&lt;OnboardingWorkflow&gt;().AddActivities&lt;EmailActivities&gt;());
/// var result = await env.Client.ExecuteWorkflowAsync((OnboardingWorkflow wf) =&gt; wf.RunAsync(user), new StartWorkflowOptions());
/// </code>
/// While the test waits through <see cref="Client"/>, time skips to the next timer whenever nothing else can happen;
/// <see cref="DelayAsync"/> and <see cref="SkipAsync"/> move it by hand. Replace activities that touch the world with
/// <see cref="ServerlessFlowBuilder.ReplaceActivity"/>.
/// </summary>
public sealed class WorkflowTestEnvironment : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly SkippingTimeProvider clock;
    private readonly InMemoryBackend backend;
    private readonly WorkTracker tracker;
    private readonly CancellationTokenSource stop = new();
    private readonly Task worker;
    private readonly Task skipper;
    private readonly Lock demandGate = new();
    private int skipDemand;
    private readonly List<string> awaitedWorkflows = [];
    private TaskCompletionSource demanded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkflowTestEnvironment(ServiceProvider provider, SkippingTimeProvider clock, WorkTracker tracker, WorkflowTestEnvironmentOptions options)
    {
        this.provider = provider;
        this.clock = clock;
        this.tracker = tracker;
        Options = options;
        backend = (InMemoryBackend)provider.GetRequiredService<IWorkflowStore>();
        Client = new TimeSkippingClient(provider.GetRequiredService<IWorkflowClient>(), this);
        worker = provider.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
        skipper = SkipWhileDemandedAsync(stop.Token);
    }

    /// <summary>The environment's settings.</summary>
    public WorkflowTestEnvironmentOptions Options { get; }

    /// <summary>
    /// The client: start workflows (typed: <c>Client.StartWorkflowAsync((MyWorkflow wf) =&gt; wf.RunAsync(input), options)</c>),
    /// signal, query, update. Waiting for a result skips time (unless <see cref="WorkflowTestEnvironmentOptions.AutoTimeSkipping"/>
    /// is off) and fails after <see cref="WorkflowTestEnvironmentOptions.WaitTimeout"/> of real time.
    /// </summary>
    public IWorkflowClient Client { get; }

    /// <summary>The environment's services (e.g. <see cref="Schedules.IScheduleClient"/>, or services that activities use).</summary>
    public IServiceProvider Services => provider;

    /// <summary>The virtual clock every workflow, timer and activity of the environment runs on.</summary>
    public TimeProvider TimeProvider => clock;

    /// <summary>The current virtual time (what <c>Workflow.UtcNow</c> gives a workflow task that runs now).</summary>
    public DateTimeOffset UtcNow => clock.GetUtcNow();

    /// <summary>
    /// Starts an environment. <paramref name="configure"/> registers workflows, activities (and their services, through
    /// <see cref="ServerlessFlowBuilder.Services"/>), fakes and search attributes as in <c>AddServerlessFlow</c>; the backend is always the in-memory one.
    /// </summary>
    public static Task<WorkflowTestEnvironment> StartAsync(Action<ServerlessFlowBuilder> configure, WorkflowTestEnvironmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        options ??= new WorkflowTestEnvironmentOptions();
        var clock = new SkippingTimeProvider(options.StartTime ?? DateTimeOffset.UtcNow);
        var tracker = new WorkTracker();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddServerlessFlow(flow =>
        {
            // Closed workflows stay readable however far time skips; idle pollers look often (messages sent by this process wake them at once anyway).
            flow.ConfigureWorker(o => o with { Retention = null, MaxPollInterval = TimeSpan.FromMilliseconds(100), EagerStart = false });
            configure(flow);
            flow.UseInMemoryBackend(clock);
        });
        Decorate<ITaskQueues>(services, (sp, queues) => new TrackedTaskQueues(queues, tracker));
        Decorate<ITaskHandler>(services, (sp, handler) => new TrackedTaskHandler(handler, tracker));
        return Task.FromResult(new WorkflowTestEnvironment(services.BuildServiceProvider(), clock, tracker, options));
    }

    /// <summary>
    /// Lets <paramref name="duration"/> of virtual time pass, skipping through it: every timer, retry and timeout due within it
    /// fires in order, and the work it causes runs, before this returns. Use it to put a workflow at a point in time
    /// (e.g. "8 days later") before a signal or a query.
    /// </summary>
    /// <exception cref="TimeoutException">The work kept running for longer than <see cref="WorkflowTestEnvironmentOptions.WaitTimeout"/> of real time.</exception>
    public async Task DelayAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var target = UtcNow + duration;
        var waited = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var next = await WhenIdleAsync(waited, cancellationToken);
            if (next is { } at && at <= target)
            {
                clock.AdvanceTo(at);
                continue;
            }

            if (UtcNow >= target)
            {
                return;
            }

            clock.AdvanceTo(target);
        }
    }

    /// <summary>Moves the clock forward by <paramref name="duration"/> at once; what comes due runs in the background.</summary>
    public Task SkipAsync(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        clock.AdvanceTo(UtcNow + duration);
        return Task.CompletedTask;
    }

    /// <summary>Stops the worker and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await worker;
        await skipper;
        await provider.DisposeAsync();
        clock.Dispose();
        stop.Dispose();
    }

    /// <summary>Skips time (when auto skipping is on) while <paramref name="workflowId"/> is open, until the returned scope is disposed.</summary>
    internal IDisposable SkipTimeWhileWaiting(string workflowId)
    {
        if (!Options.AutoTimeSkipping)
        {
            return new Demand(null, workflowId);
        }

        lock (demandGate)
        {
            awaitedWorkflows.Add(workflowId);
            if (++skipDemand == 1)
            {
                demanded.TrySetResult();
            }
        }

        return new Demand(this, workflowId);
    }

    /// <summary>The exception for a wait that ran out of real time, saying what the workflow waits on.</summary>
    internal async Task<TimeoutException> TimeoutAsync(string what, string workflowId, CancellationToken cancellationToken)
    {
        var description = await Client.DescribeWorkflowAsync(workflowId, cancellationToken);
        var activities = string.Join(", ", description.PendingActivities.Select(a => $"{a.ActivityName} (attempt {a.Attempt})"));
        var timers = string.Join(", ", description.PendingTimers.Select(t => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        return new TimeoutException(
            $"{what} within {Options.WaitTimeout} of real time (WorkflowTestEnvironmentOptions.WaitTimeout). Virtual time is {UtcNow:O}; " +
            $"it is {description.Status}, waiting on activities [{activities}] and timers [{timers}]" +
            (description.LastTaskFailure is { } failure ? $"; its last workflow task failed: {failure}" : "; no task failed (is it waiting for a signal?)."));
    }

    private static void Decorate<TService>(ServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var original = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(original);
        services.AddSingleton(sp => decorate(sp, (TService)(original.ImplementationInstance
            ?? original.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
    }

    /// <summary>While someone waits, jumps the clock to the next hidden message each time the engine goes idle.</summary>
    private async Task SkipWhileDemandedAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Task? idle;
                lock (demandGate)
                {
                    idle = skipDemand == 0 ? demanded.Task : null;
                }

                if (idle is not null)
                {
                    await idle.WaitAsync(cancellationToken);
                    continue;
                }

                var changed = tracker.Changed;
                if (IdleUntil() is { } next && await AnyAwaitedOpenAsync(cancellationToken))
                {
                    clock.AdvanceTo(next);
                    continue;
                }

                // Look again at the next queue operation; the short real-time bound covers a due timer that fires between looks.
                await Task.WhenAny(changed, Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>Waits (up to the real-time limit) until nothing runs and nothing is ready; returns when the next hidden message is due, or null for none.</summary>
    private async Task<DateTimeOffset?> WhenIdleAsync(long waitedSince, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = tracker.Changed;
            if (!tracker.Busy)
            {
                var (anyVisible, next) = backend.QueueState();
                if (!anyVisible && !tracker.Busy)
                {
                    return next;
                }
            }

            if (TimeProvider.System.GetElapsedTime(waitedSince) > Options.WaitTimeout)
            {
                throw new TimeoutException($"Work in the test environment kept running for longer than {Options.WaitTimeout} of real time (WorkflowTestEnvironmentOptions.WaitTimeout); virtual time is {UtcNow:O}.");
            }

            await Task.WhenAny(changed, Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken));
        }
    }

    /// <summary>
    /// True while a waiter's workflow is still open. Between the close commit and the waiter seeing it, the engine is
    /// idle with the closed run's stale timer messages still hidden: skipping to them then would move time for nobody.
    /// </summary>
    private async Task<bool> AnyAwaitedOpenAsync(CancellationToken cancellationToken)
    {
        string[] ids;
        lock (demandGate)
        {
            ids = [.. awaitedWorkflows];
        }

        foreach (var id in ids)
        {
            try
            {
                var description = await Client.DescribeWorkflowAsync(id, cancellationToken);
                if (description.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew)
                {
                    return true;
                }
            }
            catch (WorkflowNotFoundException)
            {
                // Not started yet, or purged: nothing to wait for under this ID.
            }
        }

        return false;
    }

    /// <summary>The time to skip to when the engine is idle and something is due later; null when busy or nothing waits.</summary>
    private DateTimeOffset? IdleUntil()
    {
        if (tracker.Busy)
        {
            return null;
        }

        var (anyVisible, next) = backend.QueueState();
        return anyVisible || tracker.Busy ? null : next;
    }

    private sealed class Demand(WorkflowTestEnvironment? environment, string workflowId) : IDisposable
    {
        private WorkflowTestEnvironment? environment = environment;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref environment, null) is not { } owner)
            {
                return;
            }

            lock (owner.demandGate)
            {
                owner.awaitedWorkflows.Remove(workflowId);
                if (--owner.skipDemand == 0)
                {
                    owner.demanded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }
}
