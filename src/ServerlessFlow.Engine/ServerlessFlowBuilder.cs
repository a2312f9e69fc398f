using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;

namespace ServerlessFlow.Engine;

/// <summary>Collects workflows, activities, the backend and worker settings for <see cref="ServiceCollectionExtensions.AddServerlessFlow"/>.</summary>
public sealed class ServerlessFlowBuilder
{
    private readonly List<Type> workflows = [];
    private readonly List<Type> activities = [];
    private readonly List<KeyValuePair<string, SearchAttributeType>> searchAttributes = [];

    internal ServerlessFlowBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for backend extensions.</summary>
    public IServiceCollection Services { get; }

    internal IReadOnlyList<Type> Workflows => workflows;

    internal IReadOnlyList<Type> Activities => activities;

    internal IReadOnlyList<KeyValuePair<string, SearchAttributeType>> SearchAttributes => searchAttributes;

    internal WorkerOptions WorkerOptions { get; private set; } = new();

    /// <summary>Registers a workflow class (marked [Workflow]).</summary>
    public ServerlessFlowBuilder AddWorkflow<TWorkflow>() where TWorkflow : class => AddWorkflow(typeof(TWorkflow));

    /// <summary>Registers a workflow class (marked [Workflow]).</summary>
    public ServerlessFlowBuilder AddWorkflow(Type workflowClass)
    {
        workflows.Add(workflowClass);
        return this;
    }

    /// <summary>Registers every [Activity] method of a class; the class is created through DI for each call, so it can take services.</summary>
    public ServerlessFlowBuilder AddActivities<TActivities>() where TActivities : class => AddActivities(typeof(TActivities));

    /// <summary>Registers every [Activity] method of a class.</summary>
    public ServerlessFlowBuilder AddActivities(Type activityClass)
    {
        activities.Add(activityClass);
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
    public ServerlessFlowBuilder UseInMemoryBackend()
    {
        var backend = new InMemoryBackend(TimeProvider.System);
        var visibility = new InMemoryVisibilityStore();
        var schedules = new InMemoryScheduleStore();
        return UseBackend(_ => backend, _ => backend, _ => visibility, _ => schedules);
    }
}
