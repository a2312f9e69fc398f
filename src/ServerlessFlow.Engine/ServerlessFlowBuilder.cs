using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine;

/// <summary>Collects workflows, activities, the backend and worker settings for <see cref="ServiceCollectionExtensions.AddServerlessFlow"/>.</summary>
public sealed class ServerlessFlowBuilder
{
    private readonly List<Type> workflows = [];
    private readonly List<Type> activities = [];
    private readonly List<KeyValuePair<string, SearchAttributeType>> searchAttributes = [];
    private readonly List<KeyValuePair<string, Delegate>> activityReplacements = [];
    private readonly Dictionary<Type, WorkflowInvokers> workflowInvokers = [];
    private readonly Dictionary<Type, IReadOnlyDictionary<string, MemberInvoker>> activityInvokers = [];

    internal ServerlessFlowBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for backend extensions.</summary>
    public IServiceCollection Services { get; }

    internal IReadOnlyList<Type> Workflows => workflows;

    internal IReadOnlyList<Type> Activities => activities;

    internal IReadOnlyList<KeyValuePair<string, SearchAttributeType>> SearchAttributes => searchAttributes;

    internal IReadOnlyList<KeyValuePair<string, Delegate>> ActivityReplacements => activityReplacements;

    internal GeneratedInvokers GeneratedInvokers => new(workflowInvokers, activityInvokers);

    internal WorkerOptions WorkerOptions { get; private set; } = new();

    /// <summary>Registers a workflow class (marked [Workflow]).</summary>
    public ServerlessFlowBuilder AddWorkflow<TWorkflow>() where TWorkflow : class => AddWorkflow(typeof(TWorkflow));

    /// <summary>Registers a workflow class (marked [Workflow]).</summary>
    public ServerlessFlowBuilder AddWorkflow(Type workflowClass)
    {
        workflows.Add(workflowClass);
        return this;
    }

    /// <summary>
    /// Registers a workflow class (marked [Workflow]) with the invokers the source generator wrote for it, so the worker creates
    /// it and calls its members directly, with no reflection. Generated registration (<c>AddGeneratedDefinitions()</c>) calls this.
    /// </summary>
    public ServerlessFlowBuilder AddWorkflow<TWorkflow>(WorkflowInvokers invokers) where TWorkflow : class
    {
        ArgumentNullException.ThrowIfNull(invokers);
        workflowInvokers[typeof(TWorkflow)] = invokers;
        return AddWorkflow<TWorkflow>();
    }

    /// <summary>Registers every [Activity] method of a class; the class is created through DI for each call, so it can take services.</summary>
    public ServerlessFlowBuilder AddActivities<TActivities>() where TActivities : class => AddActivities(typeof(TActivities));

    /// <summary>
    /// Registers every [Activity] method of a class with the invokers the source generator wrote for them, by activity name, so
    /// the worker calls them directly, with no reflection. Generated registration (<c>AddGeneratedDefinitions()</c>) calls this.
    /// </summary>
    public ServerlessFlowBuilder AddActivities<TActivities>(IReadOnlyDictionary<string, MemberInvoker> invokers) where TActivities : class
    {
        ArgumentNullException.ThrowIfNull(invokers);
        activityInvokers[typeof(TActivities)] = invokers;
        return AddActivities<TActivities>();
    }

    /// <summary>Registers every [Activity] method of a class.</summary>
    public ServerlessFlowBuilder AddActivities(Type activityClass)
    {
        activities.Add(activityClass);
        return this;
    }

    /// <summary>
    /// Runs <paramref name="implementation"/> whenever the activity named <paramref name="activityName"/> is called, instead of
    /// the [Activity] method registered under that name (if any): how tests put a fake in place of an activity that touches the world.
    /// Its parameters are the activity's arguments (a CancellationToken parameter gets the attempt's token); it may return a value, a Task or a Task&lt;T&gt;.
    /// </summary>
    /// <example><c>flow.ReplaceActivity("SendEmail", (string to, string subject) =&gt; Task.FromResult("sent"))</c></example>
    public ServerlessFlowBuilder ReplaceActivity(string activityName, Delegate implementation)
    {
        ArgumentException.ThrowIfNullOrEmpty(activityName);
        ArgumentNullException.ThrowIfNull(implementation);
        activityReplacements.Add(new(activityName, implementation));
        return this;
    }

    /// <summary>
    /// Registers a search attribute: indexed metadata that workflows get at start (<see cref="StartWorkflowOptions.SearchAttributes"/>)
    /// or set themselves (<see cref="Workflow.UpsertSearchAttributes"/>), and listings filter on. The name becomes part of
    /// the index: a letter, then up to 63 letters, digits or underscores.
    /// </summary>
    public ServerlessFlowBuilder AddSearchAttribute(string name, SearchAttributeType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        searchAttributes.Add(new(name, type));
        return this;
    }

    /// <summary>Adjusts the worker settings (task queues served, concurrency, timing).</summary>
    public ServerlessFlowBuilder ConfigureWorker(Func<WorkerOptions, WorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        WorkerOptions = configure(WorkerOptions);
        return this;
    }

    /// <summary>Uses the given backend. Backend packages call this from their own extension methods.</summary>
    public ServerlessFlowBuilder UseBackend(
        Func<IServiceProvider, IWorkflowStore> store, Func<IServiceProvider, ITaskQueues> queues,
        Func<IServiceProvider, IVisibilityStore> visibility, Func<IServiceProvider, IScheduleStore> schedules)
    {
        Services.RemoveAll<IWorkflowStore>();
        Services.RemoveAll<ITaskQueues>();
        Services.RemoveAll<IVisibilityStore>();
        Services.RemoveAll<IScheduleStore>();
        Services.AddSingleton(store);
        Services.AddSingleton(queues);
        Services.AddSingleton(visibility);
        Services.AddSingleton(schedules);
        return this;
    }

    /// <summary>Keeps everything in memory: for fast unit tests of workflows, never for production.</summary>
    public ServerlessFlowBuilder UseInMemoryBackend() => UseInMemoryBackend(TimeProvider.System, replaceClock: false);

    /// <summary>
    /// Keeps everything in memory, on the clock <paramref name="time"/>, which the whole engine then uses: workflow time,
    /// timers, delayed messages and retries follow it, so a fake clock (e.g. <c>FakeTimeProvider</c>) moved forward by
    /// days fires days-long timers at once. Waits of callers (<see cref="IWorkflowClient.WaitForCloseAsync"/>, updates)
    /// stay in real time. For fast unit tests of workflows, never for production.
    /// </summary>
    public ServerlessFlowBuilder UseInMemoryBackend(TimeProvider time) => UseInMemoryBackend(time, replaceClock: true);

    private ServerlessFlowBuilder UseInMemoryBackend(TimeProvider time, bool replaceClock)
    {
        ArgumentNullException.ThrowIfNull(time);
        var backend = new InMemoryBackend(time);
        var visibility = new InMemoryVisibilityStore();
        var schedules = new InMemoryScheduleStore();
        if (replaceClock)
        {
            Services.Replace(ServiceDescriptor.Singleton(time));
        }

        return UseBackend(_ => backend, sp => backend.WakeVia(sp.GetRequiredService<Runtime.LocalWakeups>()), _ => visibility, _ => schedules);
    }
}
